# Make targets for Parley's test cluster, the minikube profile "parley"; included by the root
# Makefile. See docs/cluster.md. Versions live in e2e/cluster/versions.env.
PARLEY_CLUSTER_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: cluster-tools cluster-up cluster-down cluster-status cluster-smoke images kube-bins

cluster-tools: ## build minikube, Kubernetes, the node image and images offline, cached (cold: docs/cluster.md)
	@$(PARLEY_CLUSTER_DIR)/install-deps.sh
	@$(PARLEY_CLUSTER_DIR)/build-tools.sh

cluster-up: ## start the minikube profile parley (idempotent), print the KUBECONFIG line
	@$(PARLEY_CLUSTER_DIR)/up.sh

cluster-down: ## delete the profile and stop what cluster-up started
	@$(PARLEY_CLUSTER_DIR)/down.sh

cluster-status: ## show the profile, node, system pods and published ports
	@$(PARLEY_CLUSTER_DIR)/status.sh

cluster-smoke: ## run the cluster smoke suite (KUBECONFIG, else the parley profile's)
	@$(PARLEY_CLUSTER_DIR)/smoke/smoke.sh

images: ## build the server, Redis (and operator) images and load them into minikube
	@$(PARLEY_CLUSTER_DIR)/images.sh

kube-bins: ## build only Kubernetes, etcd and helm into the cache (what the operator's tests run)
	@$(PARLEY_CLUSTER_DIR)/build-tools.sh kubernetes helm
