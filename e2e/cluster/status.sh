#!/usr/bin/env bash
# Shows the minikube profile "parley": minikube's view, the node, the system pods, the ports
# published on the host, and the docker daemon cluster-up started, if any.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

MODE=$(minikube_mode)
echo "minikube: $MODE   profile: $PROFILE   KUBECONFIG=$KUBECONFIG_PATH"
echo "state: $STATE_DIR   logs: $LOG_DIR   cache: $CACHE_DIR"
if pid=$(dockerd_pid); then echo "dockerd: pid $pid (started by cluster-up; log $LOG_DIR/dockerd.log)"; fi
echo
if ! docker info >/dev/null 2>&1; then
  echo "No docker daemon answers: the cluster is down. Start it with 'make cluster-up'."
  exit 0
fi
mk profile list 2>/dev/null
echo
mk -p "$PROFILE" status
echo
echo "Published on the host:"
docker port "$PROFILE" 2>/dev/null | sort -n
echo
if [ -f "$KUBECONFIG_PATH" ] && kubectl get --raw /readyz >/dev/null 2>&1; then
  kubectl get nodes -o wide
  echo
  kubectl get pods -n kube-system -o wide
  echo
  kubectl get storageclass
  kubectl get apiservice v1beta1.metrics.k8s.io 2>/dev/null
fi
