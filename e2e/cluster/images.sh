#!/usr/bin/env bash
# Builds Parley's images and loads them where the cluster's runtime can use them:
#   localhost/parley/chat-server:$PARLEY_IMAGE_TAG  from Dockerfile.server
#   localhost/parley/redis:7.0-bookworm             from e2e/cluster/images/Dockerfile.redis
# Their bases are Debian bookworm root filesystems made with debootstrap (a JRE base and a
# Redis base), cached in $CACHE_DIR/bases. The Dockerfiles are built by the docker daemon the
# environment already has, else by a dockerd of our own that has no networking at all and is
# stopped again at the end.
#
#   images.sh [server|redis]...    (default: both)
#   IMAGE_LOAD=cluster   load into the local cluster's containerd (default)
#   IMAGE_LOAD=minikube  `minikube image load` instead
#   IMAGE_LOAD=none      build only
#   IMAGE_BASES=public   use the public bases (eclipse-temurin:17-jre, redis:7.0) instead of
#                        debootstrap ones, where the docker daemon can pull them (minikube users)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT="$(cd "$CLUSTER_DIR/../.." && pwd)"
TAG="${PARLEY_IMAGE_TAG:-dev}"
[ "$TAG" != latest ] || die "never tag a test image :latest (its pull policy becomes Always)"
SERVER_IMAGE="localhost/parley/chat-server:$TAG"
REDIS_IMAGE="localhost/parley/redis:7.0-$DEBIAN_SUITE"
JRE_BASE="localhost/parley/debian-jre:17-$DEBIAN_SUITE"
REDIS_BASE="localhost/parley/redis-base:7.0-$DEBIAN_SUITE"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGE_LOAD="${IMAGE_LOAD:-cluster}"
IMAGE_BASES="${IMAGE_BASES:-local}"
case $IMAGE_BASES in
  local) ;;
  public) JRE_BASE=eclipse-temurin:17-jre REDIS_BASE=redis:7.0 ;;
  *) die "IMAGE_BASES must be local or public" ;;
esac
BASES="$CACHE_DIR/bases"
DOCKER_RUN=/run/parley/docker

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(server redis)

if [ "$IMAGE_LOAD" = cluster ]; then
  pid_alive containerd || die "the local cluster is not running: run 'make cluster-up' first (or IMAGE_LOAD=minikube|none)"
fi

# rootfs NAME PACKAGES [SETUP]: a debootstrap root filesystem as a cached tarball.
rootfs() {
  local name=$1 packages=$2 setup=${3:-}
  local tarball="$BASES/$name-$DEBIAN_SUITE.tar"
  if [ -f "$tarball" ]; then echo "$tarball"; return; fi
  command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make cluster-tools'"
  mkdir -p "$BASES"
  local dir
  dir=$(mktemp -d "$BASES/.$name.XXXXXX")
  log "base $name: debootstrap $DEBIAN_SUITE with $packages (a few minutes)"
  local start=$SECONDS
  debootstrap --variant=minbase --include="$packages" "$DEBIAN_SUITE" "$dir" "$MIRROR" \
    >"$BASES/$name.debootstrap.log" 2>&1 || { tail -20 "$BASES/$name.debootstrap.log" >&2; rm -rf "$dir"; die "debootstrap of $name failed"; }
  [ -z "$setup" ] || chroot "$dir" /bin/sh -c "$setup"
  # Package lists and caches are of no use in an image.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*
  tar -C "$dir" -cf "$tarball.tmp" .
  rm -rf "$dir"
  mv "$tarball.tmp" "$tarball"
  log "base $name: done in $((SECONDS - start))s"
  echo "$tarball"
}

# A docker daemon: the environment's own, else ours, without bridge, iptables or forwarding,
# so it changes nothing on the host's network; the builds only COPY and set metadata.
started_dockerd=
stop_dockerd() {
  [ -n "$started_dockerd" ] || return 0
  local pid=$started_dockerd
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  local m
  for m in $(findmnt -rn -o TARGET | grep "^$DOCKER_RUN/" | sort -r); do umount -l "$m" || true; done
  rm -rf "$DOCKER_RUN"
  log "stopped the image builder's dockerd"
}
trap stop_dockerd EXIT
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || die "no docker daemon and no dockerd: run 'make cluster-tools'"
  mkdir -p "$DOCKER_RUN" "$CACHE_DIR/docker"
  export DOCKER_HOST="unix://$DOCKER_RUN/docker.sock"
  # The daemon is built without BuildKit; the Dockerfiles need nothing beyond the classic builder.
  export DOCKER_BUILDKIT=0
  setsid dockerd --data-root "$CACHE_DIR/docker" --exec-root "$DOCKER_RUN/exec" \
    --pidfile "$DOCKER_RUN/dockerd.pid" --host "$DOCKER_HOST" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    >"$CACHE_DIR/dockerd.log" 2>&1 </dev/null &
  started_dockerd=$!
  wait_for "dockerd" 60 docker info || { tail -20 "$CACHE_DIR/dockerd.log" >&2; die "dockerd did not start"; }
fi

# import_base IMAGE TARBALL: the root filesystem as a one-layer image, unless already there.
import_base() {
  docker image inspect "$1" >/dev/null 2>&1 && return
  docker import "$2" "$1" >/dev/null
  log "imported base $1"
}

# load IMAGE: into the runtime the cluster uses.
load() {
  case $IMAGE_LOAD in
    cluster)
      docker save "$1" | ctr --address "$CONTAINERD_SOCK" -n k8s.io images import - >/dev/null
      log "loaded $1 into the local cluster" ;;
    minikube)
      docker save "$1" -o "$CACHE_DIR/image-load.tar"
      minikube image load "$CACHE_DIR/image-load.tar"
      rm -f "$CACHE_DIR/image-load.tar"
      log "loaded $1 into minikube" ;;
    none) ;;
    *) die "IMAGE_LOAD must be cluster, minikube or none" ;;
  esac
}

# build ARGS...: docker build, quiet unless it fails (the classic builder's deprecation
# notice is noise here).
build() {
  local out
  out=$(docker build -q "$@" 2>&1 >/dev/null) || { echo "$out" >&2; die "docker build $* failed"; }
}

# The build context holds only what the Dockerfile copies, at the same relative paths as in
# the repository, so the Dockerfile builds unchanged from the root elsewhere.
context=$(mktemp -d)
trap 'rm -rf "$context"; stop_dockerd' EXIT

for t in "${targets[@]}"; do
  case $t in
    server)
      jar="$ROOT/chat-server/target/chat-server.jar"
      [ -f "$jar" ] || die "$jar is missing: run 'make build' first"
      [ "$IMAGE_BASES" = public ] || import_base "$JRE_BASE" "$(rootfs debian-jre openjdk-17-jre-headless,ca-certificates)"
      mkdir -p "$context/server/chat-server/target"
      cp "$jar" "$context/server/chat-server/target/"
      build -f "$ROOT/Dockerfile.server" --build-arg BASE_IMAGE="$JRE_BASE" \
        -t "$SERVER_IMAGE" "$context/server"
      log "built $SERVER_IMAGE"
      load "$SERVER_IMAGE" ;;
    redis)
      [ "$IMAGE_BASES" = public ] || import_base "$REDIS_BASE" "$(rootfs redis redis-server 'install -d -o redis -g redis -m 0750 /data')"
      mkdir -p "$context/redis"
      build -f "$CLUSTER_DIR/images/Dockerfile.redis" --build-arg BASE_IMAGE="$REDIS_BASE" \
        -t "$REDIS_IMAGE" "$context/redis"
      log "built $REDIS_IMAGE"
      load "$REDIS_IMAGE" ;;
    *) die "unknown image: $t (server or redis)" ;;
  esac
done
echo "Images: $SERVER_IMAGE $REDIS_IMAGE (imagePullPolicy: IfNotPresent or Never)"
