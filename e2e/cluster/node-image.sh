#!/usr/bin/env bash
# Builds the node image minikube's docker driver starts (what its kicbase image is upstream)
# as a docker archive in the cache: a Debian root filesystem made with debootstrap, with
# systemd, containerd, runc, the CNI plugins, sshd and the tools kubeadm checks for, plus the
# node files of minikube's deploy/kicbase/ (entrypoint, containerd config, sysctls, automount,
# scheduled stop), taken from the downloaded minikube module at build time, and the
# Kubernetes binaries where minikube looks for them, and minikube's images for this version
# preloaded. cluster-up loads it into docker and passes its tag as --base-image. Builds only
# when the archive for this tag is missing; the tag names everything that goes in (lib.sh).
#
# The changes for our machines, each answering a failure (docs/cluster.md):
# - capdrop-runc as /usr/local/sbin/runc: privileged pods (kube-proxy) ask for capabilities
#   the machine withholds ("unable to apply caps: operation not permitted");
# - containerd drop-in setting restrict_oom_score_adj back to true before containerd starts
#   (minikube sets it false on every start): "can't get final child's PID from pipe: EOF";
# - the docker user's password field "*": sshd refuses a locked account;
# - sshd SetEnv PATH with the sbin folders: kubeadm preflight "FileExisting-losetup".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "building the node image needs root (debootstrap, chroot)"
if [ -f "$NODE_IMAGE_TAR" ]; then
  log "node image $NODE_IMAGE: cached in $NODE_IMAGE_TAR"
  exit 0
fi
for b in kubeadm kubelet kubectl; do
  [ -x "$KUBE_BIN/$b" ] || die "$KUBE_BIN/$b is missing: build kubernetes first"
done
[ -x "$CRICTL_BIN/crictl" ] || die "crictl is missing: build crictl first"
[ -x "$CAPDROP_BIN/capdrop-runc" ] || die "capdrop-runc is missing: build it first"
PRELOAD_LIST="$MINIKUBE_CACHE/preload.list"
[ -s "$PRELOAD_LIST" ] || die "$PRELOAD_LIST is missing: run cluster-images.sh first"
command -v containerd >/dev/null || die "containerd is missing: run 'make cluster-tools'"
command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make cluster-tools'"

KICBASE="$(GONOSUMDB=k8s.io/minikube GOFLAGS=-mod=mod go mod download -json "k8s.io/minikube@$MINIKUBE_VERSION" | jq -r '.Dir // empty')/deploy/kicbase"
[ -f "$KICBASE/entrypoint" ] || die "minikube's deploy/kicbase not found at $KICBASE"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What kicbase installs that a Debian node needs: systemd as init, the container runtime, CNI
# plugins, sshd and sudo for minikube's commands, and what kubeadm's preflight looks for.
PACKAGES=systemd,systemd-sysv,dbus,containerd,runc,containernetworking-plugins,openssh-server,sudo,iptables,conntrack,socat,ethtool,ebtables,iproute2,kmod,procps,openssl,ca-certificates,curl,util-linux,mount,libseccomp2,pigz

OUT_DIR=$(dirname "$NODE_IMAGE_TAR")
mkdir -p "$OUT_DIR"
work=$(mktemp -d "$OUT_DIR/.build.XXXXXX")
# The trap removes the half-built tree on any failure.
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
start=$SECONDS
log "node image: debootstrap $DEBIAN_SUITE, usually 1 min (log: $OUT_DIR/debootstrap.log)"
debootstrap --variant=minbase --include="$PACKAGES" "$DEBIAN_SUITE" "$root" "$MIRROR" \
  >"$OUT_DIR/debootstrap.log" 2>&1 || { tail -20 "$OUT_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
log "node image: root filesystem in $((SECONDS - start))s"

# minikube's node files, as its kicbase Dockerfile places them.
install -m 0755 "$KICBASE/entrypoint" "$root/usr/local/bin/entrypoint"
install -D -m 0644 "$KICBASE/containerd.toml" "$root/etc/containerd/config.toml"
install -D -m 0644 "$KICBASE/containerd_docker_io_hosts.toml" "$root/etc/containerd/certs.d/docker.io/hosts.toml"
install -m 0644 "$KICBASE/10-network-security.conf" "$KICBASE/11-tcp-mtu-probing.conf" "$root/etc/sysctl.d/"
install -m 0755 "$KICBASE/automount/minikube-automount" "$root/usr/sbin/minikube-automount"
install -m 0644 "$KICBASE/automount/minikube-automount.service" "$root/usr/lib/systemd/system/"
install -D -m 0755 "$KICBASE/scheduled-stop/minikube-scheduled-stop" "$root/var/lib/minikube/scheduled-stop/minikube-scheduled-stop"
install -m 0644 "$KICBASE/scheduled-stop/minikube-scheduled-stop.service" "$root/usr/lib/systemd/system/"

# Binaries: crictl, the runtime wrapper in front of Debian's runc, and the Kubernetes binaries
# where minikube looks before copying its own (so a start copies none).
install -m 0755 "$CRICTL_BIN/crictl" "$root/usr/local/bin/crictl"
install -D -m 0755 "$CAPDROP_BIN/capdrop-runc" "$root/usr/local/sbin/runc"
for b in kubeadm kubelet kubectl; do
  install -D -m 0755 "$KUBE_BIN/$b" "$root/var/lib/minikube/binaries/$KUBE_VERSION/$b"
done
# minikube's containerd config and bridge CNI expect the plugins in /opt/cni/bin.
mkdir -p "$root/opt/cni"
ln -s /usr/lib/cni "$root/opt/cni/bin"

mkdir -p "$root/etc/systemd/system/containerd.service.d"
cat >"$root/etc/systemd/system/containerd.service.d/10-parley-oom-score.conf" <<'EOF'
# This machine withholds CAP_SYS_RESOURCE, so runc cannot give a container a lower
# oom_score_adj than containerd's own; minikube writes false here on every start.
[Service]
ExecStartPre=/bin/sed -i 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' /etc/containerd/config.toml
EOF

chroot "$root" /bin/sh -e <<'EOF'
# systemd as a container's init, as kicbase sets it up: no services but those enabled below,
# no kernel log, the tmpfiles clean-up soon after boot.
rm -f /lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/*
rm -f /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/basic.target.wants/*
rm -f /lib/systemd/system/sockets.target.wants/*udev* /lib/systemd/system/sockets.target.wants/*initctl*
echo "ReadKMsg=no" >>/etc/systemd/journald.conf
sed -i /usr/lib/systemd/system/systemd-tmpfiles-clean.timer -e 's#OnBootSec=.*#OnBootSec=1min#'
systemctl enable ssh.service containerd.service minikube-automount.service >/dev/null 2>&1
mkdir -p /etc/kubernetes/manifests /kind
sed -i -r 's#^(hosts:\s*).*#\1files dns#' /etc/nsswitch.conf
# minikube logs in as "docker" with a key; a locked password ("!") makes sshd refuse it.
groupadd docker
useradd -m -g docker -G sudo -s /bin/bash -p '*' docker
install -d -o docker -g docker -m 0700 /home/docker/.ssh
echo '%sudo ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/minikube
chmod 0440 /etc/sudoers.d/minikube
sed -ri 's/^#?UsePAM yes/UsePAM no/' /etc/ssh/sshd_config
# minikube runs kubeadm and friends over ssh: the session's PATH needs the sbin folders.
echo 'SetEnv PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' >>/etc/ssh/sshd_config
rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /var/log/*.log /usr/share/doc/* /usr/share/man/*
EOF

# minikube's images for these versions (the list cluster-images.sh wrote), imported into the
# node's containerd as minikube's preload tarball would have them: a start finds them all and
# copies none (saves ~25 s per start).
# A containerd of the host's, on the image's containerd root, with no CRI and its own socket.
cat >"$work/containerd.toml" <<EOF
version = 2
root = "$root/var/lib/containerd"
state = "$work/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$work/containerd.sock"
EOF
containerd --config "$work/containerd.toml" >"$OUT_DIR/preload-containerd.log" 2>&1 &
preload_pid=$!
trap 'kill "$preload_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
wait_for "the image build's containerd" 30 ctr --address "$work/containerd.sock" version \
  || { tail -20 "$OUT_DIR/preload-containerd.log" >&2; die "containerd for the preload did not start"; }
while IFS= read -r archive; do
  ctr --address "$work/containerd.sock" -n k8s.io images import "$archive" </dev/null >/dev/null \
    || die "could not import $archive into the node image"
done <"$PRELOAD_LIST"
kill "$preload_pid"
wait "$preload_pid" 2>/dev/null || true
trap 'rm -rf "$work"' EXIT
log "node image: $(wc -l <"$PRELOAD_LIST") images preloaded into its containerd"

tar -C "$root" -cf "$work/rootfs.tar" .
rm -rf "$root"
python3 "$CLUSTER_DIR/mkimage.py" "$NODE_IMAGE_TAR" "$NODE_IMAGE" --layer "$work/rootfs.tar" \
  --env container=docker --stop-signal SIGRTMIN+3 \
  --entrypoint '["/usr/local/bin/entrypoint", "/sbin/init"]'
log "node image $NODE_IMAGE: built in $((SECONDS - start))s ($(du -h "$NODE_IMAGE_TAR" | cut -f1))"
