# Make targets for Parley's local single-node test cluster; included by the root Makefile.
# See docs/cluster.md. Versions live in e2e/cluster/versions.env.
PARLEY_CLUSTER_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: cluster-tools cluster-up cluster-down cluster-status cluster-smoke images

cluster-tools: ## compile the test cluster's components into /var/cache/parley/cluster (cold: ~12 min)
	@$(PARLEY_CLUSTER_DIR)/install-deps.sh
	@$(PARLEY_CLUSTER_DIR)/build-tools.sh

cluster-up: ## start the single-node test cluster (idempotent), print the KUBECONFIG line
	@$(PARLEY_CLUSTER_DIR)/up.sh

cluster-down: ## stop the test cluster and remove all it made on the host
	@$(PARLEY_CLUSTER_DIR)/down.sh

cluster-status: ## show the test cluster's processes, node, pods and add-ons
	@$(PARLEY_CLUSTER_DIR)/status.sh

cluster-smoke: ## run the cluster smoke suite (KUBECONFIG, else the local cluster)
	@$(PARLEY_CLUSTER_DIR)/smoke/smoke.sh

images: ## build the server and Redis images and load them into the cluster (or minikube)
	@$(PARLEY_CLUSTER_DIR)/images.sh
