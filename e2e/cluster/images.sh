#!/usr/bin/env bash
# Builds Parley's images and loads them into the minikube profile with `minikube image load`:
#   localhost/parley/chat-server  from Dockerfile.server
#   localhost/parley/redis:7.0-bookworm from e2e/cluster/images/Dockerfile.redis
#   localhost/parley/operator     from Dockerfile.operator
# The server and operator images are tagged $PARLEY_IMAGE_TAG (default dev), the project
# version, and <version>-<image id>, which names exactly this build; that is the one printed,
# as one PARLEY_<NAME>_IMAGE=<ref> line per image for scripts and tests to read.
#
# Bases: offline, Debian bookworm root filesystems made with debootstrap (a JRE base and a
# Redis base, cached in $CACHE_DIR/bases); with a minikube of the machine's own (a laptop),
# the public eclipse-temurin:17-jre and redis:7.0. The docker daemon is the one that runs,
# else one of ours, stopped again at the end.
#
#   images.sh [server|redis|operator]...   (default: all there are)
#   IMAGE_LOAD=minikube  load into the profile (default)
#   IMAGE_LOAD=none      build only
#   IMAGE_BASES=local|public   override the choice of bases
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT="$(cd "$CLUSTER_DIR/../.." && pwd)"
TAG="${PARLEY_IMAGE_TAG:-dev}"
[ "$TAG" != latest ] || die "never tag a test image :latest (its pull policy becomes Always)"
# The project version (the first <version> of the root POM, after the parent-less header).
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$ROOT/pom.xml" | head -1)
[ -n "$VERSION" ] || die "cannot read the project version from $ROOT/pom.xml"
SERVER_IMAGE="localhost/parley/chat-server:$TAG"
OPERATOR_IMAGE="localhost/parley/operator:$TAG"
REDIS_IMAGE="localhost/parley/redis:7.0-$DEBIAN_SUITE"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGE_LOAD="${IMAGE_LOAD:-minikube}"
MODE=$(minikube_mode)
if [ "$MODE" = host ]; then IMAGE_BASES="${IMAGE_BASES:-public}"; else IMAGE_BASES="${IMAGE_BASES:-local}"; fi
case $IMAGE_BASES in
  local) JRE_BASE="localhost/parley/debian-jre:17-$DEBIAN_SUITE" REDIS_BASE="localhost/parley/redis-base:7.0-$DEBIAN_SUITE" ;;
  public) JRE_BASE=eclipse-temurin:17-jre REDIS_BASE=redis:7.0 ;;
  *) die "IMAGE_BASES must be local or public" ;;
esac
BASES="$CACHE_DIR/bases"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(server redis)
  [ ! -f "$ROOT/Dockerfile.operator" ] || targets+=(operator)
fi
case $IMAGE_LOAD in
  minikube) [ "$(mk status -p "$PROFILE" -f '{{.Host}}' 2>/dev/null)" = Running ] \
    || die "the minikube profile $PROFILE is not running: run 'make cluster-up' first (or IMAGE_LOAD=none)" ;;
  none) ;;
  *) die "IMAGE_LOAD must be minikube or none" ;;
esac

# rootfs NAME PACKAGES [SETUP]: a debootstrap root filesystem as a cached tarball.
rootfs() {
  local name=$1 packages=$2 setup=${3:-}
  local tarball="$BASES/$name-$DEBIAN_SUITE.tar"
  if [ -f "$tarball" ]; then echo "$tarball"; return; fi
  command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make cluster-tools'"
  mkdir -p "$BASES"
  local dir
  dir=$(mktemp -d "$BASES/.$name.XXXXXX")
  log "base $name: debootstrap $DEBIAN_SUITE with $packages, usually 1 min"
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

# A docker daemon: the one that runs (cluster-up's, or the machine's), else ours until exit.
context=$(mktemp -d)
started_here=
cleanup() {
  rm -rf "$context"
  if [ -n "$started_here" ]; then stop_dockerd; fi
}
trap cleanup EXIT
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "no docker daemon answers"
  start_dockerd
  started_here=1
fi
# Debian's daemon has no BuildKit; the Dockerfiles need nothing beyond the classic builder.
if [ "$IMAGE_BASES" = local ]; then export DOCKER_BUILDKIT=0; fi

# import_base IMAGE TARBALL: the root filesystem as a one-layer image, unless already there.
import_base() {
  docker image inspect "$1" >/dev/null 2>&1 && return
  docker import "$2" "$1" >/dev/null
  log "imported base $1"
}

# build NAME DOCKERFILE IMAGE BASE: docker build with a context holding only what the
# Dockerfile's COPY lines name, at the same paths as in the repository, so each Dockerfile
# also builds unchanged from the repository root elsewhere.
build() {
  local name=$1 dockerfile=$2 image=$3 base=$4
  local ctx="$context/$name" src
  mkdir -p "$ctx"
  for src in $(awk 'toupper($1)=="COPY" {for (i=2; i<NF; i++) if ($i !~ /^--/) print $i}' "$dockerfile"); do
    # shellcheck disable=SC2086 # a COPY source may be a glob
    for f in $ROOT/$src; do
      [ -e "$f" ] || die "$dockerfile copies $src, which is missing: run 'make build' first"
      mkdir -p "$ctx/$(dirname "${f#"$ROOT"/}")"
      cp -r "$f" "$ctx/${f#"$ROOT"/}"
    done
  done
  local out
  out=$(docker build -q -f "$dockerfile" --build-arg BASE_IMAGE="$base" --build-arg VERSION="$VERSION" \
    -t "$image" "$ctx" 2>&1 >/dev/null) || { echo "$out" >&2; die "docker build of $image failed"; }
  log "built $image"
}

# versioned IMAGE VERSION: tags IMAGE also REPO:VERSION and REPO:VERSION-<image id>, and prints
# the latter: a reference that names exactly this build, so a Deployment given it rolls when
# the image changes (a reused tag like dev would leave the old pods running).
versioned() {
  local image=$1 version=$2 repo=${1%:*} id
  id=$(docker image inspect -f '{{.Id}}' "$image" | sed 's/^sha256://' | cut -c1-12)
  docker tag "$image" "$repo:$version"
  docker tag "$image" "$repo:$version-$id"
  echo "$repo:$version-$id"
}

# load IMAGE...: into the profile's container runtime, every tag given (one archive: the
# layers they share go once), unless the node has the last one, which names this very build.
load() {
  [ "$IMAGE_LOAD" = minikube ] || return 0
  if mk -p "$PROFILE" image ls 2>/dev/null | grep -qxF "${!#}"; then
    log "minikube profile $PROFILE already has ${!#}"
    return
  fi
  local tar="$context/image.tar"
  docker save "$@" -o "$tar"
  mk -p "$PROFILE" image load "$tar"
  rm -f "$tar"
  log "loaded $* into minikube profile $PROFILE"
}

jre_base() { [ "$IMAGE_BASES" = public ] || import_base "$JRE_BASE" "$(rootfs debian-jre openjdk-17-jre-headless,ca-certificates)"; }
lines=()
for t in "${targets[@]}"; do
  case $t in
    server)
      jre_base
      build server "$ROOT/Dockerfile.server" "$SERVER_IMAGE" "$JRE_BASE"
      ref=$(versioned "$SERVER_IMAGE" "$VERSION")
      load "$SERVER_IMAGE" "${SERVER_IMAGE%:*}:$VERSION" "$ref"
      lines+=("PARLEY_SERVER_IMAGE=$ref") ;;
    operator)
      [ -f "$ROOT/Dockerfile.operator" ] || die "there is no Dockerfile.operator yet"
      jre_base
      build operator "$ROOT/Dockerfile.operator" "$OPERATOR_IMAGE" "$JRE_BASE"
      ref=$(versioned "$OPERATOR_IMAGE" "$VERSION")
      load "$OPERATOR_IMAGE" "${OPERATOR_IMAGE%:*}:$VERSION" "$ref"
      lines+=("PARLEY_OPERATOR_IMAGE=$ref") ;;
    redis)
      [ "$IMAGE_BASES" = public ] || import_base "$REDIS_BASE" "$(rootfs redis redis-server 'install -d -o redis -g redis -m 0750 /data')"
      build redis "$CLUSTER_DIR/images/Dockerfile.redis" "$REDIS_IMAGE" "$REDIS_BASE"
      ref=$(versioned "$REDIS_IMAGE" "${REDIS_IMAGE##*:}")
      load "$REDIS_IMAGE" "$ref"
      lines+=("PARLEY_REDIS_IMAGE=$ref") ;;
    *) die "unknown image: $t (server, redis or operator)" ;;
  esac
done
# Use imagePullPolicy IfNotPresent or Never with these: there is no registry to pull from.
printf '%s\n' "${lines[@]}"
