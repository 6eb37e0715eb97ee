#!/usr/bin/env bash
# Installs the Debian packages the local cluster needs (container runtime, CNI plugins, network
# tools, debootstrap for base images, gcc for the pause binary). Installs only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(containerd runc containernetworking-plugins iptables conntrack socat iproute2
  openssl curl jq debootstrap busybox-static docker.io gcc libc6-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "debian packages: all present"
  exit 0
fi
log "debian packages: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
log "debian packages: installed"
