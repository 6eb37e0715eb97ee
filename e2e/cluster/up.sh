#!/usr/bin/env bash
# Starts the single-node test cluster from the cached binaries, in the order upstream's
# hack/local-up-cluster.sh uses: etcd, apiserver, controller-manager, scheduler, containerd,
# kubelet, kube-proxy, then the add-ons (CoreDNS, default StorageClass, metrics-server).
# Idempotent: with the cluster already up it only prints the KUBECONFIG line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "cluster-up needs root (mounts, iptables, containers)"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [ -x "$KUBE_BIN/$b" ] || die "$KUBE_BIN/$b is missing: run 'make cluster-tools' first"
done
for img in "${CLUSTER_IMAGES[@]}"; do
  [ -f "$(image_tar "$img")" ] || die "$(image_tar "$img") is missing: run 'make cluster-tools' first"
done

print_kubeconfig() {
  echo "Cluster is up. Use it with:"
  echo "  export KUBECONFIG=$KUBECONFIG_PATH"
}

if cluster_healthy; then
  log "cluster already up"
  print_kubeconfig
  exit 0
fi
# Anything left of an earlier cluster (processes, or mounts and rules after its processes
# were killed from outside) is cleared first, so every start is a clean one.
if [ -d "$RUN_DIR" ] || [ -d "$STATE_DIR/pki" ] || ip link show "$CNI_BRIDGE" >/dev/null 2>&1; then
  log "an earlier cluster left processes or state behind: cleaning up first"
  "$CLUSTER_DIR/down.sh"
fi

up_start=$SECONDS
NODE_IP=$(node_ip)
[ -n "$NODE_IP" ] || die "could not find the node IP (no default route?)"
export NODE_IP
log "node $NODE_NAME at $NODE_IP, pods $POD_CIDR, services $SERVICE_CIDR"
# Each run starts with fresh logs; the previous run's stay beside them for comparison.
if [ -d "$LOG_DIR" ]; then rm -rf "$LOG_DIR.previous" && mv "$LOG_DIR" "$LOG_DIR.previous"; fi
mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR/pids" "$STATE_DIR/config"
CONF="$STATE_DIR/config"
PKI="$STATE_DIR/pki"

# Host settings the cluster changes; down.sh puts the saved values back.
if [ ! -f "$STATE_DIR/saved-host-settings" ]; then
  {
    echo "root_propagation=$(findmnt -no PROPAGATION /)"
    for s in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.ipv4.conf.all.route_localnet; do
      echo "sysctl $s=$(sysctl -n "$s")"
    done
  } >"$STATE_DIR/saved-host-settings"
fi
# The kubelet needs shared mount propagation; the root mount here is private.
mount --make-rshared /
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1

"$CLUSTER_DIR/certs.sh"

# Safety net: whatever is forwarded from the pod network must stay on this machine. Traffic
# to the node itself is not forwarded (INPUT), and service IPs are already DNATed to pod or
# node addresses by the time FORWARD sees them. The drop sits in mangle FORWARD, which runs
# before filter FORWARD, where kube-proxy puts its own ACCEPT rules first. Service IPs left
# untranslated (no endpoints) pass on to kube-proxy's REJECT, and our filter chain rejects
# whatever is still left, so no packet from a pod is ever routed off the machine.
iptables -t mangle -N PARLEY-EGRESS 2>/dev/null || iptables -t mangle -F PARLEY-EGRESS
iptables -t mangle -A PARLEY-EGRESS -s "$POD_CIDR" -d "$POD_CIDR" -j RETURN
iptables -t mangle -A PARLEY-EGRESS -s "$POD_CIDR" -d "$SERVICE_CIDR" -j RETURN
iptables -t mangle -A PARLEY-EGRESS -s "$POD_CIDR" -j DROP
iptables -t mangle -C FORWARD -j PARLEY-EGRESS 2>/dev/null || iptables -t mangle -I FORWARD 1 -j PARLEY-EGRESS
# Pod-to-pod is accepted even under a FORWARD policy of DROP (as dockerd sets it).
iptables -N PARLEY-FORWARD 2>/dev/null || iptables -F PARLEY-FORWARD
iptables -A PARLEY-FORWARD -s "$POD_CIDR" -d "$POD_CIDR" -j ACCEPT
iptables -A PARLEY-FORWARD -s "$POD_CIDR" -j REJECT
iptables -A PARLEY-FORWARD -d "$POD_CIDR" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -C FORWARD -j PARLEY-FORWARD 2>/dev/null || iptables -I FORWARD 1 -j PARLEY-FORWARD
# Pods' DNS defaults point only at the machine itself, never at the host's resolver.
echo "nameserver 127.0.0.1" >"$CONF/resolv.conf"

# start NAME COMMAND...: runs a component in the background, in its own session, with its log
# in $LOG_DIR/NAME.log and its pid in $RUN_DIR/pids/NAME.pid for down.sh.
start() {
  local name=$1; shift
  log "starting $name"
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/pids/$name.pid"
}
# expect_running NAME: fails with the log's tail when a component died at start.
expect_running() {
  if ! kill -0 "$(cat "$RUN_DIR/pids/$1.pid")" 2>/dev/null; then
    tail -30 "$LOG_DIR/$1.log" >&2
    die "$1 exited; its log is $LOG_DIR/$1.log"
  fi
}

start etcd "$KUBE_BIN/etcd" --name parley --data-dir "$STATE_DIR/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster parley=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --quota-backend-bytes 2147483648 --log-level warn
wait_for "etcd health" 60 curl -fsS http://127.0.0.1:2379/health || { expect_running etcd; die "etcd not healthy"; }

start kube-apiserver "$KUBE_BIN/kube-apiserver" \
  --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$NODE_IP" \
  --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
  --client-ca-file="$PKI/ca.crt" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$PKI/ca.crt" \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --allow-privileged=true \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
  --proxy-client-key-file="$PKI/front-proxy-client.key" \
  --enable-aggregator-routing=true \
  --profiling=false
wait_for "kube-apiserver /readyz" 120 kubectl get --raw /readyz \
  || { expect_running kube-apiserver; die "kube-apiserver not ready, see $LOG_DIR/kube-apiserver.log"; }

start kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
  --kubeconfig="$PKI/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$PKI/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$PKI/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --use-service-account-credentials=true \
  --service-cluster-ip-range="$SERVICE_CIDR" --cluster-cidr="$POD_CIDR" --allocate-node-cidrs=false \
  --horizontal-pod-autoscaler-sync-period=10s \
  --profiling=false
start kube-scheduler "$KUBE_BIN/kube-scheduler" \
  --kubeconfig="$PKI/scheduler.kubeconfig" \
  --authentication-kubeconfig="$PKI/scheduler.kubeconfig" \
  --authorization-kubeconfig="$PKI/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --profiling=false

# containerd of our own (socket, root and state apart from any other containerd), with CRI on,
# cgroupfs and the locally built pause image.
mkdir -p "$STATE_DIR/containerd" "$RUN_DIR/containerd" "$CONF/cni" "$STATE_DIR/cni"
cat >"$CONF/containerd.toml" <<EOF
version = 2
root = "$STATE_DIR/containerd"
state = "$RUN_DIR/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # The machine withholds CAP_SYS_RESOURCE, so runc cannot give a container a lower
  # oom_score_adj than containerd's own (the kubelet asks -998 for every pod sandbox).
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CONF/cni"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE_DIR/containerd/opt"
EOF
start containerd containerd --config "$CONF/containerd.toml"
wait_for "containerd socket" 30 ctr --address "$CONTAINERD_SOCK" version \
  || { expect_running containerd; die "containerd did not answer"; }
for img in "${CLUSTER_IMAGES[@]}"; do
  ctr --address "$CONTAINERD_SOCK" -n k8s.io images import "$(image_tar "$img")" >/dev/null \
    || die "could not import $(image_tar "$img")"
done
log "imported the cluster's images"

# CNI: one bridge for the pods; portmap for hostPort; host-local addresses.
cat >"$CONF/cni/10-parley.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "parley",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$STATE_DIR/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

cat >"$CONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
# This machine mounts cgroup v1 controllers; 1.34 still runs on them when told to.
failCgroupV1: false
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
clusterDNS: ["$CLUSTER_DNS_IP"]
clusterDomain: "$CLUSTER_DOMAIN"
resolvConf: "$CONF/resolv.conf"
readOnlyPort: 0
tlsCertFile: "$PKI/kubelet-serving.crt"
tlsPrivateKeyFile: "$PKI/kubelet-serving.key"
failSwapOn: false
serializeImagePulls: false
# Test images are loaded locally; never let disk pressure evict them or the pods.
imageGCHighThresholdPercent: 100
evictionHard: {"memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%"}
EOF
start kubelet "$KUBE_BIN/kubelet" --config="$CONF/kubelet.yaml" \
  --kubeconfig="$PKI/kubelet.kubeconfig" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
  --root-dir="$STATE_DIR/kubelet" --cert-dir="$STATE_DIR/kubelet/pki" --oom-score-adj=0

cat >"$CONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$PKI/kube-proxy.kubeconfig"}
mode: iptables
clusterCIDR: "$POD_CIDR"
hostnameOverride: "$NODE_NAME"
# Leave the host's conntrack table size alone.
conntrack: {maxPerCore: 0}
# Without CAP_SYS_RESOURCE here, a negative value cannot be set.
oomScoreAdj: 0
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
EOF
start kube-proxy "$KUBE_BIN/kube-proxy" --config="$CONF/kube-proxy.yaml"

wait_for "node $NODE_NAME Ready" 180 \
  kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=5s \
  || { for c in kubelet containerd kube-proxy; do expect_running "$c"; done; die "node not Ready, see $LOG_DIR/kubelet.log"; }
log "node $NODE_NAME is Ready ($((SECONDS - up_start))s)"

# Add-ons, with the cluster's own addresses and image names filled in.
LOCAL_PATH_DIR="$STATE_DIR/local-path"
mkdir -p "$LOCAL_PATH_DIR"
export CLUSTER_DNS_IP CLUSTER_DOMAIN COREDNS_IMAGE METRICS_SERVER_IMAGE LOCAL_PATH_IMAGE TOOLBOX_IMAGE LOCAL_PATH_DIR
for m in "$CLUSTER_DIR"/manifests/*.yaml; do
  # Only these variables: the manifests hold shell scripts with variables of their own.
  envsubst '$CLUSTER_DNS_IP $CLUSTER_DOMAIN $COREDNS_IMAGE $METRICS_SERVER_IMAGE $LOCAL_PATH_IMAGE $TOOLBOX_IMAGE $LOCAL_PATH_DIR' <"$m"
  echo "---"
done >"$CONF/addons.yaml"
wait_for "default service account" 60 kubectl -n default get serviceaccount default
kubectl apply -f "$CONF/addons.yaml" >"$LOG_DIR/addons-apply.log" 2>&1 \
  || { cat "$LOG_DIR/addons-apply.log" >&2; die "could not apply the add-ons"; }
kubectl -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null \
  || die "CoreDNS did not become available; kubectl -n kube-system describe pods -l k8s-app=kube-dns"
kubectl -n kube-system rollout status deployment/metrics-server --timeout=120s >/dev/null \
  || die "metrics-server did not become available"
kubectl -n local-path-storage rollout status deployment/local-path-provisioner --timeout=60s >/dev/null \
  || die "the local-path provisioner did not become available; see kubectl -n local-path-storage logs deploy/local-path-provisioner"
wait_for "APIService v1beta1.metrics.k8s.io Available" 120 \
  kubectl wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=5s \
  || die "the metrics API is not available; see kubectl -n kube-system logs deploy/metrics-server"
log "cluster up in $((SECONDS - up_start))s; logs in $LOG_DIR"
print_kubeconfig
