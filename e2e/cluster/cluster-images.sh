#!/usr/bin/env bash
# Writes the images a minikube start needs into minikube's cache, under the names and paths it
# looks for (it checks only that the file exists, then loads it into the node), so nothing is
# pulled: kube-apiserver, kube-controller-manager, kube-scheduler and etcd (static binaries),
# kube-proxy (on a Debian base with iptables and conntrack), CoreDNS, pause (upstream's
# pause.c, compiled statically) and minikube's storage provisioner; plus the Kubernetes
# binaries, where minikube looks for them. Also the images cluster-up loads itself:
# metrics-server (the add-on's image is pinned by a digest no local build has) and the smoke
# suite's toolbox (busybox-static plus smoke-agent). Builds only what is missing. Writes the
# list of minikube's images to $MINIKUBE_CACHE/preload.list, for node-image.sh to preload.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

for f in "$KUBE_BIN"/{kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy,etcd} \
  "$COREDNS_BIN/coredns" "$METRICS_SERVER_BIN/metrics-server" "$MINIKUBE_BUILD/bin/storage-provisioner"; do
  [ -x "$f" ] || die "$f is missing: build it first (build-tools.sh)"
done
WORK="$IMAGES_DIR/work"
mkdir -p "$IMAGES_DIR" "$WORK"
MKIMAGE=(python3 "$CLUSTER_DIR/mkimage.py")
K8S_REGISTRY=registry.k8s.io

# cache_path REF: where minikube looks for REF (registry.k8s.io/pause:3.10.1 ->
# .../images/amd64/registry.k8s.io/pause_3.10.1).
cache_path() { echo "$MINIKUBE_CACHE/images/amd64/${1/:/_}"; }

# The archives of minikube's images, as written below.
preload=()
# minikube_image REF MKIMAGE-ARGS...: writes the image into minikube's cache unless it is there.
minikube_image() {
  local ref=$1; shift
  image "$ref" "$(cache_path "$ref")" "$@"
  preload+=("$(cache_path "$ref")")
}

# image REF FILE MKIMAGE-ARGS...: writes the image unless FILE exists.
image() {
  local ref=$1 file=$2; shift 2
  [ -f "$file" ] && return
  mkdir -p "$(dirname "$file")"
  "${MKIMAGE[@]}" "$file" "$ref" "$@"
  log "image $ref built"
}

# Control-plane binaries as one-layer images; kubeadm's manifests call them by name.
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  minikube_image "$K8S_REGISTRY/$c:$KUBE_VERSION" --file "$KUBE_BIN/$c:/usr/local/bin/$c" --dir /tmp
done
minikube_image "$K8S_REGISTRY/etcd:$ETCD_IMAGE_TAG" --file "$KUBE_BIN/etcd:/usr/local/bin/etcd" --dir /tmp --dir /var/lib/etcd

# kube-proxy runs iptables-restore and conntrack: Debian's, in a debootstrap root filesystem.
ref="$K8S_REGISTRY/kube-proxy:$KUBE_VERSION"
base="$CACHE_DIR/bases/kube-proxy-$DEBIAN_SUITE.tar"
if [ ! -f "$(cache_path "$ref")" ]; then
  if [ ! -f "$base" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make cluster-tools'"
    mkdir -p "$(dirname "$base")"
    dir=$(mktemp -d "$(dirname "$base")/.kube-proxy.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
    start=$SECONDS
    log "kube-proxy base: debootstrap $DEBIAN_SUITE with iptables and conntrack, usually 1 min"
    debootstrap --variant=minbase --include=iptables,conntrack,kmod "$DEBIAN_SUITE" "$dir" \
      "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$CACHE_DIR/bases/kube-proxy.debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE_DIR/bases/kube-proxy.debootstrap.log" >&2; die "debootstrap of the kube-proxy base failed"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
    tar -C "$dir" -cf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$dir"
    trap - EXIT
    log "kube-proxy base: done in $((SECONDS - start))s"
  fi
fi
minikube_image "$ref" --layer "$base" --file "$KUBE_BIN/kube-proxy:/usr/local/bin/kube-proxy"

ref="$K8S_REGISTRY/pause:$PAUSE_VERSION"
if [ ! -f "$(cache_path "$ref")" ]; then
  kdir=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | jq -r .Dir)
  [ -f "$kdir/build/pause/linux/pause.c" ] || die "pause.c not found in $kdir"
  gcc -Os -static -DVERSION="$PAUSE_VERSION" -o "$WORK/pause" "$kdir/build/pause/linux/pause.c"
  strip "$WORK/pause"
fi
minikube_image "$ref" --file "$WORK/pause:/pause" --entrypoint '["/pause"]' --user 65535:65535

minikube_image "$K8S_REGISTRY/coredns/coredns:$COREDNS_VERSION" --file "$COREDNS_BIN/coredns:/coredns" --entrypoint '["/coredns"]'

minikube_image "gcr.io/k8s-minikube/storage-provisioner:$STORAGE_PROVISIONER_TAG" --file "$MINIKUBE_BUILD/bin/storage-provisioner:/storage-provisioner" \
  --dir /tmp --entrypoint '["/storage-provisioner"]'

image "$METRICS_SERVER_IMAGE" "$METRICS_SERVER_TAR" \
  --file "$METRICS_SERVER_BIN/metrics-server:/metrics-server" --dir /tmp --entrypoint '["/metrics-server"]'

if [ ! -f "$TOOLBOX_TAR" ]; then
  (cd "$CLUSTER_DIR/smoke/agent" && CGO_ENABLED=0 GOFLAGS=-trimpath go build -ldflags "-s -w" -o "$WORK/smoke-agent" .)
  links=()
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || links+=(--symlink "/bin/$applet:busybox")
  done
  image "$TOOLBOX_IMAGE" "$TOOLBOX_TAR" \
    --file /bin/busybox:/bin/busybox --file "$WORK/smoke-agent:/usr/local/bin/smoke-agent" \
    "${links[@]}" --dir /tmp --dir /data --cmd '["sh"]'
fi

# The Kubernetes binaries where minikube looks on the host (the node image has them too).
bindir="$MINIKUBE_CACHE/linux/amd64/$KUBE_VERSION"
mkdir -p "$bindir"
for b in kubeadm kubelet kubectl; do ln -sf "$KUBE_BIN/$b" "$bindir/$b"; done
printf '%s\n' "${preload[@]}" >"$MINIKUBE_CACHE/preload.list"
log "cluster images ready in $MINIKUBE_CACHE/images and $IMAGES_DIR"
