#!/usr/bin/env bash
# Starts the minikube profile "parley" and prints the KUBECONFIG line scripts read.
#
# Where a minikube and a running docker are already installed (a laptop with internet), they
# are used as they are and nothing is built. Otherwise (our machines, CI) it runs the minikube
# `make cluster-tools` built, offline: the local node image as --base-image, no preload, every
# download sent to a closed port, and a docker daemon of its own if none runs. Idempotent:
# with the profile running it only prints the KUBECONFIG line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

MODE=$(minikube_mode)
mkdir -p "$STATE_DIR" "$LOG_DIR"
up_start=$SECONDS

print_kubeconfig() {
  echo "Cluster is up (minikube profile $PROFILE). Use it with:"
  echo "  export KUBECONFIG=$KUBECONFIG_PATH"
}

# What both modes ask of minikube: Kubernetes version, the NodePorts on loopback, bridge CNI,
# the StorageClass "standard" and its provisioner, every component waited for.
START_FLAGS=(
  --profile "$PROFILE" --driver=docker --kubernetes-version="$KUBE_VERSION"
  --container-runtime=containerd --cni=bridge
  --listen-address=127.0.0.1 --ports="127.0.0.1:$NODEPORT_FIRST-$NODEPORT_LAST:$NODEPORT_FIRST-$NODEPORT_LAST"
  --addons=storage-provisioner,default-storageclass --embed-certs --wait=all --wait-timeout=5m
)

if [ "$MODE" = offline ]; then
  [ "$(id -u)" -eq 0 ] || die "the offline cluster needs root (it may start a docker daemon)"
  for f in "$MINIKUBE_BUILD/bin/minikube" "$NODE_IMAGE_TAR" "$KUBE_BIN/kubectl" \
    "$METRICS_SERVER_TAR" "$TOOLBOX_TAR"; do
    [ -e "$f" ] || die "$f is missing: run 'make cluster-tools' first"
  done
  if ! docker info >/dev/null 2>&1; then start_dockerd; fi
  if ! docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
    log "loading the node image $NODE_IMAGE into docker (once per docker data root)"
    docker load -i "$NODE_IMAGE_TAR" >/dev/null
  fi
  # minikube's home is runtime state; its cache is the one cluster-tools filled.
  home="$STATE_DIR/minikube/.minikube"
  mkdir -p "$home"
  # (A cache folder there is one minikube made itself before the link existed.)
  [ -L "$home/cache" ] || rm -rf "$home/cache"
  ln -sfn "$MINIKUBE_CACHE" "$home/cache"
  START_FLAGS+=(
    --base-image="$NODE_IMAGE" --preload=false --cpus=2 --memory=6g
    # The docker driver refuses root without it (DRV_AS_ROOT).
    --force
    # kubeadm built with Go 1.26 writes the service IP as "[10.96.0.1]" in a URL that Go 1.26
    # then refuses to parse; the check only concerns proxies, which point nowhere here.
    --extra-config=kubeadm.ignore-preflight-errors=HTTPProxyCIDR
  )
fi

if [ "$(mk status -p "$PROFILE" -f '{{.Host}} {{.Kubelet}} {{.APIServer}}' 2>/dev/null)" = "Running Running Running" ] \
  && [ -f "$KUBECONFIG_PATH" ] && kubectl get --raw /readyz >/dev/null 2>&1; then
  log "profile $PROFILE already running"
  print_kubeconfig
  exit 0
fi

log "minikube start ($MODE), usually 45 to 90 s (log: $LOG_DIR/minikube-start.log)"
if ! mk start "${START_FLAGS[@]}" >"$LOG_DIR/minikube-start.log" 2>&1; then
  tail -30 "$LOG_DIR/minikube-start.log" >&2
  die "minikube start failed; see $LOG_DIR/minikube-start.log and 'make cluster-status'; 'make cluster-down' clears a half-started profile"
fi
log "minikube started in $((SECONDS - up_start))s"

# metrics-server: offline, the add-on's digest-pinned image is swapped for the local build.
if [ "$MODE" = offline ]; then
  mk -p "$PROFILE" image load "$METRICS_SERVER_TAR"
  repo=${METRICS_SERVER_IMAGE#localhost/}
  mk -p "$PROFILE" addons enable metrics-server --images="MetricsServer=$repo" --registries=MetricsServer=localhost \
    >>"$LOG_DIR/minikube-start.log" 2>&1 || die "could not enable metrics-server; see $LOG_DIR/minikube-start.log"
else
  mk -p "$PROFILE" addons enable metrics-server >>"$LOG_DIR/minikube-start.log" 2>&1 \
    || die "could not enable metrics-server; see $LOG_DIR/minikube-start.log"
fi
# The smoke suite's toolbox (built by cluster-tools; offline it is always there).
if [ -f "$TOOLBOX_TAR" ]; then mk -p "$PROFILE" image load "$TOOLBOX_TAR"; fi
kubectl -n kube-system rollout status deployment/metrics-server --timeout=120s >/dev/null \
  || die "metrics-server did not become available; kubectl -n kube-system describe pods -l k8s-app=metrics-server"
wait_for "APIService v1beta1.metrics.k8s.io Available" 120 \
  kubectl wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=5s \
  || die "the metrics API is not available; see kubectl -n kube-system logs deploy/metrics-server"
log "cluster up in $((SECONDS - up_start))s"
print_kubeconfig
