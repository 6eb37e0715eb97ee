#!/usr/bin/env bash
# Prints where the cluster build keeps each thing for the versions in versions.env, as NAME=value
# lines (lib.sh names them; the operator's tests read KUBE_BIN and HELM_BIN here).
# Anything else in the cache folder is a build for other versions, which nothing uses.
#
#   paths.sh [NAME...]   (default: all)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(CACHE_DIR KUBE_VERSION KUBE_BIN HELM_BIN COMPOSE_BIN COREDNS_BIN
  METRICS_SERVER_BIN CRICTL_BIN MINIKUBE_BUILD CAPDROP_BIN MINIKUBE_CACHE IMAGES_DIR METRICS_SERVER_TAR
  TOOLBOX_IMAGE TOOLBOX_TAR NODE_IMAGE NODE_IMAGE_TAR STATE_DIR KUBECONFIG_PATH)
for name in "${names[@]}"; do
  [[ $name =~ ^[A-Z_]+$ ]] && [ -n "${!name:-}" ] || die "unknown name: $name"
  printf '%s=%s\n' "$name" "${!name}"
done
