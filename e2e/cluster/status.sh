#!/usr/bin/env bash
# Shows what of the test cluster runs: host processes, the node, the add-ons and the pods.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

echo "State: $STATE_DIR   Logs: $LOG_DIR   Cache: $CACHE_DIR"
echo "KUBECONFIG=$KUBECONFIG_PATH"
echo
printf '%-26s %-8s %s\n' COMPONENT PID STATE
for c in "${COMPONENTS[@]}"; do
  f="$RUN_DIR/pids/$c.pid"
  if pid=$(pid_of "$c"); then
    printf '%-26s %-8s %s\n' "$c" "$pid" running
  elif [ -f "$f" ]; then
    printf '%-26s %-8s %s\n' "$c" "$(cat "$f")" "EXITED (see $LOG_DIR/$c.log)"
  else
    printf '%-26s %-8s %s\n' "$c" - stopped
  fi
done
echo
if [ -f "$KUBECONFIG_PATH" ] && kubectl get --raw /readyz >/dev/null 2>&1; then
  kubectl version 2>/dev/null | grep -i server
  echo
  kubectl get nodes -o wide
  echo
  kubectl get pods -A -o wide
  echo
  kubectl get apiservice v1beta1.metrics.k8s.io 2>/dev/null
  kubectl get storageclass 2>/dev/null
else
  echo "The API server does not answer: the cluster is down. Start it with 'make cluster-up'."
fi
