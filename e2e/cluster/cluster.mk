# Make targets for Parley's local single-node test cluster; included by the root Makefile.
# See docs/cluster.md. Versions live in e2e/cluster/versions.env.
PARLEY_CLUSTER_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: cluster-tools cluster-up cluster-down cluster-status cluster-smoke images

## cluster-tools: install the Debian packages and compile the pinned components into the cache
cluster-tools:
	$(PARLEY_CLUSTER_DIR)/install-deps.sh
	$(PARLEY_CLUSTER_DIR)/build-tools.sh

## cluster-up: start the cluster (idempotent) and print the KUBECONFIG line
cluster-up:
	$(PARLEY_CLUSTER_DIR)/up.sh

## cluster-down: stop the cluster and remove everything it made on the host
cluster-down:
	$(PARLEY_CLUSTER_DIR)/down.sh

## cluster-status: show the cluster's processes, node, pods and add-ons
cluster-status:
	@$(PARLEY_CLUSTER_DIR)/status.sh

## cluster-smoke: run the smoke suite against the cluster ($$KUBECONFIG, else the local one)
cluster-smoke:
	$(PARLEY_CLUSTER_DIR)/smoke/smoke.sh

## images: build the project's images (and Redis) and load them into the cluster's runtime
images:
	$(PARLEY_CLUSTER_DIR)/images.sh
