# Shared settings and helpers for the cluster scripts (minikube profile "parley"); sourced,
# never run. See docs/cluster.md.
# shellcheck shell=bash

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Go lives in /usr/local/go on our machines; CI's PATH may not name it.
case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) PATH="$PATH:/usr/local/go/bin" ;; esac
# shellcheck source=versions.env
. "$CLUSTER_DIR/versions.env"

PROFILE="${PARLEY_PROFILE:-parley}"

# cache_key NAME... [-- FILE...]: a short hash of the named variables' values and the files'
# contents. It names a cache folder or image tag that has more inputs than a name can spell
# out, so that a change to any of them gives a new name and a rebuild.
cache_key() {
  {
    while [ $# -gt 0 ] && [ "$1" != -- ]; do printf '%s=%s\n' "$1" "${!1}"; shift; done
    [ $# -eq 0 ] || { shift; cat "$@"; }
  } | sha256sum | cut -c1-10
}

# Build cache, outside the work tree: each folder and image tag is named by every version in
# versions.env (and every source of ours) that goes into it, so changing one builds what
# depends on it afresh, beside the old build; nothing is rebuilt in place. Folders of older
# versions stay until deleted (docs/cluster.md, "Where things are").
CACHE_DIR="${PARLEY_CLUSTER_CACHE:-/var/cache/parley/cluster}"
# Kubernetes and etcd are one build (build-tools.sh).
KUBE_BIN="$CACHE_DIR/kubernetes-$KUBE_VERSION-etcd-$ETCD_VERSION/bin"
HELM_BIN="$CACHE_DIR/helm-$HELM_VERSION/bin"
COMPOSE_BIN="$CACHE_DIR/compose-$COMPOSE_VERSION/bin"
COREDNS_BIN="$CACHE_DIR/coredns-$COREDNS_VERSION/bin"
METRICS_SERVER_BIN="$CACHE_DIR/metrics-server-$METRICS_SERVER_VERSION/bin"
CRICTL_BIN="$CACHE_DIR/crictl-$CRICTL_VERSION/bin"
# minikube and its storage provisioner: both binaries carry the provisioner's image tag.
MINIKUBE_BUILD="$CACHE_DIR/minikube-$MINIKUBE_VERSION-storage-provisioner-$STORAGE_PROVISIONER_TAG"
CAPDROP_SRC="$CLUSTER_DIR/node/capdrop-runc"
CAPDROP_KEY=$(cache_key -- "$CAPDROP_SRC"/go.mod "$CAPDROP_SRC"/*.go)
CAPDROP_BIN="$CACHE_DIR/capdrop-runc-$CAPDROP_KEY/bin"
# minikube's own cache (Kubernetes binaries and images it loads into the node), filled by
# cluster-images.sh in the layout minikube looks for; MINIKUBE_HOME/cache points at it. Its
# archives are named by image reference only (minikube's layout), so the folder is named by
# everything they are built from, the recipe included.
MINIKUBE_CACHE_KEY=$(cache_key KUBE_VERSION ETCD_VERSION ETCD_IMAGE_TAG COREDNS_VERSION PAUSE_VERSION \
  MINIKUBE_VERSION STORAGE_PROVISIONER_TAG DEBIAN_SUITE -- "$CLUSTER_DIR/cluster-images.sh" "$CLUSTER_DIR/mkimage.py")
MINIKUBE_CACHE="$CACHE_DIR/minikube-cache-$KUBE_VERSION-$MINIKUBE_CACHE_KEY"
# The cluster's own small images that are not in minikube's list (docker archives).
IMAGES_DIR="$CACHE_DIR/images"
# The node image (what minikube's kicbase is), as a docker archive, and its tag: named by the
# versions in it, the images preloaded into it (MINIKUBE_CACHE), capdrop-runc and the recipe.
NODE_IMAGE="localhost/parley/kicbase:$MINIKUBE_VERSION-$KUBE_VERSION-$(cache_key MINIKUBE_VERSION KUBE_VERSION \
  CRICTL_VERSION DEBIAN_SUITE MINIKUBE_CACHE_KEY CAPDROP_KEY -- "$CLUSTER_DIR/node-image.sh" "$CLUSTER_DIR/mkimage.py")"
NODE_IMAGE_TAR="$CACHE_DIR/node-image/kicbase-${NODE_IMAGE##*:}.tar"
METRICS_SERVER_IMAGE=localhost/parley/metrics-server:$METRICS_SERVER_VERSION
METRICS_SERVER_TAR="$IMAGES_DIR/metrics-server-$METRICS_SERVER_VERSION.tar"
# busybox-static plus the smoke suite's agent, tagged by the agent's source.
TOOLBOX_IMAGE=localhost/parley/toolbox:$(cache_key -- "$CLUSTER_DIR"/smoke/agent/go.mod "$CLUSTER_DIR"/smoke/agent/*.go)
TOOLBOX_TAR="$IMAGES_DIR/toolbox-${TOOLBOX_IMAGE##*:}.tar"

# Runtime state: minikube's home (profile, machine, certificates), the kubeconfig, logs.
# As root on our machines /var/lib/parley; elsewhere under the user's home.
if [ "$(id -u)" -eq 0 ]; then
  STATE_DIR="${PARLEY_CLUSTER_STATE:-/var/lib/parley/cluster}"
else
  STATE_DIR="${PARLEY_CLUSTER_STATE:-$HOME/.local/state/parley/cluster}"
fi
LOG_DIR="$STATE_DIR/logs"
KUBECONFIG_PATH="$STATE_DIR/kubeconfig"
# The docker daemon cluster-up starts where none runs: its pid, exec root and notes.
DOCKER_RUN=/run/parley/docker
DOCKER_DATA="$CACHE_DIR/docker"

# NodePorts published on 127.0.0.1: 30060 is the chat service's; tests may use the rest.
NODEPORT_FIRST=30060
NODEPORT_LAST=30069

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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

# Which minikube to drive. "host": a minikube and a docker daemon the machine already has (a
# developer's laptop with internet): used as they are, nothing built. "offline": the one
# `make cluster-tools` built, with its node image and image cache. PARLEY_MINIKUBE forces one.
minikube_mode() {
  case ${PARLEY_MINIKUBE:-auto} in
    host|offline) echo "$PARLEY_MINIKUBE"; return ;;
    auto) ;;
    *) die "PARLEY_MINIKUBE must be host, offline or auto" ;;
  esac
  if command -v minikube >/dev/null 2>&1 && [ ! -x "$MINIKUBE_BUILD/bin/minikube" ] \
    && docker info >/dev/null 2>&1; then
    echo host
  else
    echo offline
  fi
}

# mk ARGS...: minikube for the chosen mode, with the profile's own kubeconfig; offline, with
# its home in STATE_DIR and every download sent to a closed local port, so it fails at once
# instead of hanging.
mk() {
  if [ "$(minikube_mode)" = host ]; then
    KUBECONFIG="$KUBECONFIG_PATH" minikube "$@"
  else
    KUBECONFIG="$KUBECONFIG_PATH" MINIKUBE_HOME="$STATE_DIR/minikube/.minikube" MINIKUBE_IN_STYLE=false \
      MINIKUBE_WANTUPDATENOTIFICATION=false \
      HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost \
      "$MINIKUBE_BUILD/bin/minikube" "$@"
  fi
}

# kubectl_bin / helm_bin: the cached builds, else the machine's own (a laptop).
kubectl_bin() { if [ -x "$KUBE_BIN/kubectl" ]; then echo "$KUBE_BIN/kubectl"; else type -P kubectl || echo kubectl; fi; }
helm_bin() { if [ -x "$HELM_BIN/helm" ]; then echo "$HELM_BIN/helm"; else type -P helm || echo helm; fi; }
# kubectl ARGS...: kubectl on the profile's kubeconfig. Where neither a cached nor an installed
# kubectl exists (a laptop with only minikube), minikube's own: `minikube kubectl --` fetches
# the one matching the cluster and adds --cluster=<profile>, which names this kubeconfig's
# cluster too.
kubectl() {
  local bin
  bin=$(kubectl_bin)
  if [ "$bin" = kubectl ] && [ "$(minikube_mode)" = host ]; then
    mk -p "$PROFILE" kubectl -- --kubeconfig "$KUBECONFIG_PATH" "$@"
  else
    "$bin" --kubeconfig "$KUBECONFIG_PATH" "$@"
  fi
}

# chart_image_args: the `helm install` arguments that deploy, with helm/chat-operator, the images
# named in PARLEY_OPERATOR_IMAGE, PARLEY_SERVER_IMAGE and PARLEY_REDIS_IMAGE (what images.sh
# prints), one a line: mapfile -t args < <(chart_image_args).
chart_image_args() {
  printf '%s\n' --set "image.repository=${PARLEY_OPERATOR_IMAGE%:*}" --set "image.tag=${PARLEY_OPERATOR_IMAGE##*:}" \
    --set "defaultImages.server.repository=${PARLEY_SERVER_IMAGE%:*}" --set "defaultImages.server.tag=${PARLEY_SERVER_IMAGE##*:}" \
    --set "defaultImages.redis=$PARLEY_REDIS_IMAGE"
}

# dockerd_pid: the pid of the docker daemon cluster-up started, if it still runs.
dockerd_pid() {
  local pid
  pid=$(cat "$DOCKER_RUN/dockerd.pid" 2>/dev/null) || return 1
  [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"$DOCKER_RUN"* ]] || return 1
  echo "$pid"
}

# start_dockerd: a docker daemon of ours on the default socket, for machines that have none
# running. Its runtime is capdrop-runc (privileged containers ask for capabilities this
# machine withholds), it forwards nothing (containers have no way off the machine), uses
# 127.0.0.1 as DNS, and writes no iptables rules and no default bridge. Its pid file, and the
# bridges and paths that existed before it, are in $DOCKER_RUN for stop_dockerd.
start_dockerd() {
  command -v dockerd >/dev/null || die "no docker daemon runs and dockerd is missing: run 'make cluster-tools'"
  [ -x "$CAPDROP_BIN/capdrop-runc" ] || die "$CAPDROP_BIN/capdrop-runc is missing: run 'make cluster-tools'"
  mkdir -p "$DOCKER_RUN" "$DOCKER_DATA" "$LOG_DIR"
  ip -o link show type bridge | awk -F': ' '{print $2}' >"$DOCKER_RUN/bridges-before"
  # Paths this daemon (or minikube through it) creates on the host, for stop_dockerd.
  local p
  for p in /lib/modules /run/docker /run/containerd /etc/docker/key.json; do
    [ -e "$p" ] || echo "$p"
  done >"$DOCKER_RUN/made-paths"
  log "starting dockerd (log: $LOG_DIR/dockerd.log)"
  setsid dockerd --data-root "$DOCKER_DATA" --exec-root "$DOCKER_RUN/exec" \
    --pidfile "$DOCKER_RUN/dockerd.pid" --host unix:///var/run/docker.sock \
    --add-runtime "capdrop-runc=$CAPDROP_BIN/capdrop-runc" --default-runtime capdrop-runc \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --dns 127.0.0.1 >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
  # dockerd writes its pid file itself (and refuses to start if one is there).
  if ! wait_for "dockerd" 60 docker info; then
    tail -20 "$LOG_DIR/dockerd.log" >&2
    die "dockerd did not start"
  fi
}

# stop_dockerd: stops the daemon start_dockerd started (by pid), then removes what it made:
# bridges and paths that were not there before it, its mounts and runtime folder.
stop_dockerd() {
  local pid
  if pid=$(dockerd_pid); then
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "dockerd did not stop in 30s: killing it"; kill -KILL "$pid"; }
  fi
  [ -d "$DOCKER_RUN" ] || return 0
  local br
  for br in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}'); do
    [[ $br == br-* ]] || continue
    grep -qx "$br" "$DOCKER_RUN/bridges-before" 2>/dev/null || { ip link delete "$br" && log "removed bridge $br"; }
  done
  local m
  # (dockerd also bind-mounts its data root onto itself.)
  for m in $(findmnt -rn -o TARGET | grep -e "^$DOCKER_RUN/" -e "^$DOCKER_DATA\(/\|$\)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  if [ -f "$DOCKER_RUN/made-paths" ]; then
    while read -r p; do
      case $p in
        /lib/modules) rmdir "$p" 2>/dev/null || true ;;  # an empty mount point, unless filled since
        /run/docker|/run/containerd|/etc/docker/key.json) rm -rf "$p" ;;
      esac
    done <"$DOCKER_RUN/made-paths"
  fi
  rm -rf "$DOCKER_RUN"
  rmdir /run/parley 2>/dev/null || true
}
