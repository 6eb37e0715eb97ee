#!/usr/bin/env bash
# Deletes the minikube profile "parley" (its node container, volume and network) and stops
# what cluster-up started: its docker daemon (by pid) and the bridges that daemon made. A
# docker daemon, minikube profiles or anything else that was there before are left alone.
# Safe to run twice. The build cache (node image, minikube's image cache) is kept.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

down_start=$SECONDS
MODE=$(minikube_mode)
if [ "$MODE" = host ] || [ -x "$MINIKUBE_BUILD/bin/minikube" ]; then
  if docker info >/dev/null 2>&1; then
    # Offline, the node is thrown away with everything in it: removing its container first
    # spares minikube's graceful shutdown of it (up to 20 s). Only minikube's container of
    # this profile, recognised by its label.
    if [ "$MODE" = offline ] && [ "$(docker inspect -f '{{index .Config.Labels "name.minikube.sigs.k8s.io"}}' "$PROFILE" 2>/dev/null)" = "$PROFILE" ]; then
      docker rm -f "$PROFILE" >/dev/null
    fi
    log "minikube delete -p $PROFILE"
    mk delete -p "$PROFILE" >>"$LOG_DIR/minikube-delete.log" 2>&1 \
      || log "warning: minikube delete failed; see $LOG_DIR/minikube-delete.log"
  elif [ -d "$STATE_DIR/minikube/.minikube/profiles/$PROFILE" ]; then
    # No daemon, so no container left to delete: forget the profile.
    rm -rf "$STATE_DIR/minikube/.minikube/profiles/$PROFILE" "$STATE_DIR/minikube/.minikube/machines/$PROFILE"
  fi
fi
stop_dockerd
rm -f "$KUBECONFIG_PATH"
log "cluster down in $((SECONDS - down_start))s (logs kept in $LOG_DIR)"
