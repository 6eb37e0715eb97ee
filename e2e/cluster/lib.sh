# Shared settings and helpers for the local test cluster scripts; sourced, never run.
# shellcheck shell=bash

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Go lives in /usr/local/go on our machines; CI's PATH may not name it.
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) PATH="$PATH:/usr/local/go/bin" ;; esac
# shellcheck source=versions.env
. "$CLUSTER_DIR/versions.env"

# Build cache, outside the work tree, keyed by component and version.
CACHE_DIR="${PARLEY_CLUSTER_CACHE:-/var/cache/parley/cluster}"
# Runtime state (certificates, etcd data, kubelet and containerd roots) and logs.
STATE_DIR="${PARLEY_CLUSTER_STATE:-/var/lib/parley/cluster}"
RUN_DIR="${PARLEY_CLUSTER_RUN:-/run/parley/cluster}"
LOG_DIR="$STATE_DIR/logs"
KUBECONFIG_PATH="$STATE_DIR/kubeconfig"

KUBE_BIN="$CACHE_DIR/kubernetes-$KUBE_VERSION/bin"
COREDNS_BIN="$CACHE_DIR/coredns-$COREDNS_VERSION/bin"
METRICS_SERVER_BIN="$CACHE_DIR/metrics-server-$METRICS_SERVER_VERSION/bin"
LOCAL_PATH_BIN="$CACHE_DIR/local-path-provisioner-$LOCAL_PATH_VERSION/bin"
HELM_BIN="$CACHE_DIR/helm-$HELM_VERSION/bin"

# Network plan. The pod CIDR must not overlap the machine's own networks.
NODE_NAME="${PARLEY_NODE_NAME:-parley-node}"
POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
FIRST_SERVICE_IP=10.96.0.1
CLUSTER_DNS_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
CNI_BRIDGE=parley0
CONTAINERD_SOCK="$RUN_DIR/containerd/containerd.sock"
# Images the cluster itself needs, built locally by build-tools.sh and imported by up.sh,
# never pulled. Never tag an image :latest: its pull policy would become Always.
IMAGES_DIR="$CACHE_DIR/images"
PAUSE_IMAGE=localhost/parley/pause:3.10-$KUBE_VERSION
COREDNS_IMAGE=localhost/parley/coredns:$COREDNS_VERSION
METRICS_SERVER_IMAGE=localhost/parley/metrics-server:$METRICS_SERVER_VERSION
LOCAL_PATH_IMAGE=localhost/parley/local-path-provisioner:$LOCAL_PATH_VERSION
# busybox-static plus the smoke suite's agent; bump the tag when either changes.
TOOLBOX_IMAGE=localhost/parley/toolbox:2
# image_tar pause|coredns|metrics-server|toolbox: the cached docker-archive of that image.
image_tar() {
  local ref
  case $1 in
    pause) ref=$PAUSE_IMAGE ;; coredns) ref=$COREDNS_IMAGE ;;
    metrics-server) ref=$METRICS_SERVER_IMAGE ;; toolbox) ref=$TOOLBOX_IMAGE ;;
    local-path) ref=$LOCAL_PATH_IMAGE ;;
    *) return 1 ;;
  esac
  ref=${ref#localhost/parley/}
  echo "$IMAGES_DIR/${ref/:/-}.tar"
}
CLUSTER_IMAGES=(pause coredns metrics-server local-path toolbox)
# Host processes up.sh starts, in start order; down.sh stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# node_ip: the address of the interface that holds the default route (eth0 here).
node_ip() {
  local dev
  dev=$(ip -4 route show default | awk '{for (i=1;i<NF;i++) if ($i=="dev") print $(i+1); exit}')
  [ -n "$dev" ] || dev=eth0
  ip -4 -o addr show dev "$dev" | awk '{split($4,a,"/"); print a[1]; exit}'
}

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: polls COMMAND once a second until it
# succeeds or the deadline passes; returns 1 on timeout.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "timed out after ${timeout}s waiting for: $what"
  return 1
}

kubectl() { "$KUBE_BIN/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# pid_of NAME: the recorded pid of a component up.sh started, if that process still runs and
# still is that component (a stale pid file after a reboot may name someone else's process).
pid_of() {
  local f="$RUN_DIR/pids/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  local cmdline
  cmdline=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmdline == *"$1"* ]] || return 1
  echo "$pid"
}
pid_alive() { pid_of "$1" >/dev/null; }

# cluster_healthy: every component runs, the apiserver is ready and the node is Ready.
cluster_healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_alive "$c" || return 1; done
  [ -f "$KUBECONFIG_PATH" ] || return 1
  kubectl get --raw /readyz >/dev/null 2>&1 || return 1
  [ "$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
