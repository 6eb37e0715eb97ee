#!/usr/bin/env bash
# Builds the cluster's own small images as docker-archive tarballs in $IMAGES_DIR, for up.sh
# to import: pause (upstream's pause.c, compiled statically), CoreDNS, metrics-server and the
# local-path provisioner (their static binaries from the cache), and the toolbox
# (busybox-static plus the smoke suite's smoke-agent; also the provisioner's helper pod).
# Builds only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WORK="$IMAGES_DIR/work"
mkdir -p "$IMAGES_DIR" "$WORK"
MKIMAGE=(python3 "$CLUSTER_DIR/mkimage.py")

if [ ! -f "$(image_tar pause)" ]; then
  kdir=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | jq -r .Dir)
  [ -f "$kdir/build/pause/linux/pause.c" ] || die "pause.c not found in $kdir"
  gcc -Os -static -DVERSION="3.10-$KUBE_VERSION" -o "$WORK/pause" "$kdir/build/pause/linux/pause.c"
  strip "$WORK/pause"
  "${MKIMAGE[@]}" "$(image_tar pause)" "$PAUSE_IMAGE" --file "$WORK/pause:/pause" \
    --entrypoint '["/pause"]' --user 65535:65535
  log "image $PAUSE_IMAGE built"
fi

if [ ! -f "$(image_tar coredns)" ]; then
  [ -x "$COREDNS_BIN/coredns" ] || die "coredns is not built yet"
  "${MKIMAGE[@]}" "$(image_tar coredns)" "$COREDNS_IMAGE" --file "$COREDNS_BIN/coredns:/coredns" \
    --entrypoint '["/coredns"]'
  log "image $COREDNS_IMAGE built"
fi

if [ ! -f "$(image_tar metrics-server)" ]; then
  [ -x "$METRICS_SERVER_BIN/metrics-server" ] || die "metrics-server is not built yet"
  "${MKIMAGE[@]}" "$(image_tar metrics-server)" "$METRICS_SERVER_IMAGE" \
    --file "$METRICS_SERVER_BIN/metrics-server:/metrics-server" --dir /tmp \
    --entrypoint '["/metrics-server"]'
  log "image $METRICS_SERVER_IMAGE built"
fi

if [ ! -f "$(image_tar local-path)" ]; then
  [ -x "$LOCAL_PATH_BIN/local-path-provisioner" ] || die "local-path-provisioner is not built yet"
  "${MKIMAGE[@]}" "$(image_tar local-path)" "$LOCAL_PATH_IMAGE" \
    --file "$LOCAL_PATH_BIN/local-path-provisioner:/usr/local/bin/local-path-provisioner" --dir /tmp \
    --entrypoint '["local-path-provisioner"]'
  log "image $LOCAL_PATH_IMAGE built"
fi

if [ ! -f "$(image_tar toolbox)" ]; then
  (cd "$CLUSTER_DIR/smoke/agent" && CGO_ENABLED=0 GOFLAGS=-trimpath go build -ldflags "-s -w" -o "$WORK/smoke-agent" .)
  links=()
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || links+=(--symlink "/bin/$applet:busybox")
  done
  "${MKIMAGE[@]}" "$(image_tar toolbox)" "$TOOLBOX_IMAGE" \
    --file /bin/busybox:/bin/busybox --file "$WORK/smoke-agent:/usr/local/bin/smoke-agent" \
    "${links[@]}" --dir /tmp --dir /data --cmd '["sh"]'
  log "image $TOOLBOX_IMAGE built"
fi
log "cluster images ready in $IMAGES_DIR"
