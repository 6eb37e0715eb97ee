#!/usr/bin/env bash
# minikube as cluster-up runs it: the machine's own, or (offline) the one cluster-tools built,
# with its MINIKUBE_HOME. For example: e2e/cluster/minikube.sh -p parley ssh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mk "$@"
