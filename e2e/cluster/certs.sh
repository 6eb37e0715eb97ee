#!/usr/bin/env bash
# Writes the cluster's PKI and kubeconfigs into $STATE_DIR/pki (called by up.sh): a CA, the
# apiserver serving cert, one client cert per component, the kubelet serving cert, the
# aggregation layer's front-proxy CA and client, and the service-account signing key.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NODE_IP=${NODE_IP:-$(node_ip)}
PKI="$STATE_DIR/pki"
mkdir -p "$PKI"
chmod 700 "$PKI"
cd "$PKI"

ca() { # ca NAME CN
  [ -f "$1.crt" ] && return
  openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout "$1.key" -out "$1.crt" -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# cert NAME CA CN ORG USAGE [SANS]: a leaf certificate signed by CA.
cert() {
  local name=$1 ca=$2 cn=$3 org=$4 usage=$5 sans=${6:-}
  [ -f "$name.crt" ] && return
  local subj="/CN=$cn"
  [ -n "$org" ] && subj="/O=$org/CN=$cn"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } >"$name.ext"
  openssl x509 -req -sha256 -days 365 -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" \
    -CAcreateserial -out "$name.crt" -extfile "$name.ext" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

ca ca parley-cluster-ca
ca front-proxy-ca parley-front-proxy-ca
cert apiserver ca kube-apiserver "" serverAuth \
  "IP:$NODE_IP,IP:$FIRST_SERVICE_IP,IP:127.0.0.1,DNS:localhost,DNS:$NODE_NAME,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN"
cert admin ca kubernetes-admin system:masters clientAuth
cert controller-manager ca system:kube-controller-manager "" clientAuth
cert scheduler ca system:kube-scheduler "" clientAuth
cert kubelet ca "system:node:$NODE_NAME" system:nodes clientAuth
cert kubelet-serving ca "$NODE_NAME" "" serverAuth "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME"
cert kube-proxy ca system:kube-proxy "" clientAuth
cert apiserver-kubelet-client ca kube-apiserver-kubelet-client system:masters clientAuth
cert front-proxy-client front-proxy-ca front-proxy-client "" clientAuth
[ -f sa.key ] || { openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null; }
chmod 600 ./*.key

# kubeconfig FILE USER CERT: a kubeconfig with the credentials embedded, so the admin one can
# be copied elsewhere as it is.
kubeconfig() {
  local file=$1 user=$2 cert=$3 server=${4:-https://127.0.0.1:6443}
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: parley
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/$cert.crt")
    client-key-data: $(base64 -w0 <"$PKI/$cert.key")
contexts:
- name: parley
  context: {cluster: parley, user: $user}
current-context: parley
EOF
  chmod 600 "$file"
}
kubeconfig "$KUBECONFIG_PATH" kubernetes-admin admin
kubeconfig "$PKI/controller-manager.kubeconfig" system:kube-controller-manager controller-manager
kubeconfig "$PKI/scheduler.kubeconfig" system:kube-scheduler scheduler
kubeconfig "$PKI/kubelet.kubeconfig" "system:node:$NODE_NAME" kubelet
kubeconfig "$PKI/kube-proxy.kubeconfig" system:kube-proxy kube-proxy
