#!/usr/bin/env bash
# Installs the Debian packages the offline minikube needs on the host: Debian's docker engine
# (dockerd, containerd, runc), debootstrap for the node and base images, busybox-static for the
# smoke toolbox, gcc for the pause binary, jq and curl for the scripts. Installs only what is
# missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PACKAGES=(docker.io debootstrap busybox-static gcc libc6-dev jq curl iproute2 python3)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "debian packages: all present"
  exit 0
fi
start=$SECONDS
log "debian packages: installing ${missing[*]}, usually 1 min"
apt-get update -qq
# No service is started: this machine has no systemd, and cluster-up starts dockerd itself.
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
log "debian packages: installed in $((SECONDS - start))s"
