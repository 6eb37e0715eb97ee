#!/usr/bin/env bash
# Smoke suite for the test cluster: proves each thing Parley's e2e tests rely on, with one
# PASS/FAIL line per assertion and a closing "N passed, N failed" line. Exits non-zero when
# any assertion fails. Runs against $KUBECONFIG if set, else the kubeconfig of the minikube
# profile cluster-up started; the toolbox image must be loaded (cluster-up does that).
#
# Traffic goes only to this cluster's pod and service addresses and to 127.0.0.1, where
# cluster-up publishes the NodePorts 30060-30069; the suite uses 30068 and 30069.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

export KUBECONFIG="${KUBECONFIG:-$KUBECONFIG_PATH}"
KUBECTL="${KUBECTL:-$(kubectl_bin)}"
HELM="${HELM:-$(helm_bin)}"
k() { "$KUBECTL" "$@"; }
NS=parley-smoke
HELM_NS=parley-smoke-helm
IMAGE="${SMOKE_IMAGE:-$TOOLBOX_IMAGE}"
# Host address the NodePort checks use: loopback, where cluster-up publishes them. (Against a
# minikube started otherwise, SMOKE_NODEPORT_HOST=$(minikube ip).)
NODEPORT_HOST="${SMOKE_NODEPORT_HOST:-127.0.0.1}"
WEB_NODEPORT=$((NODEPORT_LAST - 1))
CHAT_HTTP_NODEPORT=$NODEPORT_LAST

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
suite_start=$SECONDS

# pod_phase_wait POD TIMEOUT: waits until POD has finished; prints its phase.
pod_phase_wait() {
  local pod=$1 timeout=$2 phase=
  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    phase=$(k -n "$NS" get pod "$pod" -o jsonpath='{.status.phase}' 2>/dev/null)
    case $phase in Succeeded|Failed) break ;; esac
    sleep 1
  done
  echo "$phase"
}

# run_pod NAME TIMEOUT COMMAND...: runs COMMAND in a one-off toolbox pod to completion and
# prints its log; fails when the pod does not succeed in time.
run_pod() {
  local name=$1 timeout=$2; shift 2
  local pvc=${RUN_POD_PVC:-} uid=${RUN_POD_UID:-}
  k -n "$NS" delete pod "$name" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1
  # "--" keeps jq from taking an argument like "-c" for one of its own options.
  local cmd
  cmd=$(jq -nc '$ARGS.positional' --args -- "$@")
  jq -n --arg name "$name" --arg image "$IMAGE" --arg pvc "$pvc" --arg uid "$uid" --argjson cmd "$cmd" '{
    apiVersion: "v1", kind: "Pod", metadata: {name: $name},
    spec: ({
      restartPolicy: "Never",
      securityContext: (if $uid == "" then {} else {runAsUser: ($uid | tonumber), runAsGroup: ($uid | tonumber), runAsNonRoot: true} end),
      containers: [({name: "main", image: $image, imagePullPolicy: "IfNotPresent", command: $cmd}
        + (if $pvc == "" then {} else {volumeMounts: [{name: "data", mountPath: "/data"}]} end))]
    } + (if $pvc == "" then {} else {volumes: [{name: "data", persistentVolumeClaim: {claimName: $pvc}}]} end))
  }' | k -n "$NS" create -f - >/dev/null || return 1
  local phase
  phase=$(pod_phase_wait "$name" "$timeout")
  k -n "$NS" logs "$name" 2>&1
  [ "$phase" = Succeeded ]
}

cleanup() {
  "$HELM" uninstall smoke -n "$HELM_NS" --wait --timeout 60s >/dev/null 2>&1
  k delete namespace "$NS" "$HELM_NS" --ignore-not-found --wait=true --timeout=90s >/dev/null 2>&1
}

echo "Smoke suite against $(k config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null)"
cleanup
k create namespace "$NS" >/dev/null || { fail "cannot create namespace $NS: is the cluster up?"; echo "$passed passed, $failed failed"; exit 1; }
k create namespace "$HELM_NS" >/dev/null

# 1. The node is a Ready minikube node and the server reports the pinned version.
node=$(k get nodes -o jsonpath='{.items[0].metadata.name}')
ready=$(k get node "$node" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
mk_name=$(k get node "$node" -o jsonpath='{.metadata.labels.minikube\.k8s\.io/name}')
server_version=$(k version -o json 2>/dev/null | jq -r '.serverVersion.gitVersion')
expected_version="${SMOKE_EXPECT_VERSION:-$KUBE_VERSION}"
if [ "$ready" = True ] && [ "$server_version" = "$expected_version" ] && [ -n "$mk_name" ]; then
  pass "node $node of minikube profile $mk_name is Ready and the server is $server_version"
else
  fail "node $node Ready=$ready, minikube profile label '$mk_name', server version '$server_version' (expected Ready=True, a minikube.k8s.io/name label and $expected_version; v0.0.0 means the version ldflags were not set)"
fi

# 2. A Deployment of 2 replicas from a locally built image becomes Available.
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: $IMAGE
        imagePullPolicy: IfNotPresent
        command: [smoke-agent, serve, ":8080"]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 2}
        resources: {requests: {cpu: 20m, memory: 16Mi}, limits: {memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-nodeport}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: $WEB_NODEPORT}]
EOF
if k -n "$NS" wait --for=condition=Available deployment/web --timeout=120s >/dev/null 2>&1 \
  && [ "$(k -n "$NS" get deployment web -o jsonpath='{.status.availableReplicas}')" = 2 ]; then
  pass "Deployment web (2 replicas of $IMAGE) is Available"
else
  fail "Deployment web did not get 2 available replicas of $IMAGE in 120s: $(k -n "$NS" get pods -l app=web --no-headers 2>&1 | tr '\n' ';')"
fi

# 3. A pod reaches the ClusterIP Service by its DNS name.
dns_name="web.$NS.svc.cluster.local"
if out=$(run_pod dns-client 90 smoke-agent get "http://$dns_name/" 30) && grep -q '^hello from web-' <<<"$out"; then
  pass "a pod reached http://$dns_name/ ($(head -1 <<<"$out"))"
else
  fail "a pod could not reach http://$dns_name/ through CoreDNS and the ClusterIP: $(tail -3 <<<"$out" | tr '\n' ' ')"
fi

# 3b. Names outside the cluster get no address: CoreDNS forwards them to the node's resolver,
# which has nothing to ask (docker's resolver points at 127.0.0.1 on our machines). The query
# goes to the cluster DNS service only; the name is in the reserved .invalid domain.
dns_ip=$(k -n kube-system get service kube-dns -o jsonpath='{.spec.clusterIP}')
out=$(run_pod dns-outside 90 sh -c "nslookup parley-smoke-probe.invalid $dns_ip; echo rc=\$?")
if grep -q '^rc=[1-9]' <<<"$out" && ! grep -A3 'parley-smoke-probe' <<<"$out" | grep -q '^Address'; then
  pass "a name outside the cluster does not resolve ($(grep -m1 -iE "can't|server fail|nxdomain|timed out|refused" <<<"$out" | tr -s ' '))"
else
  fail "parley-smoke-probe.invalid resolved or the lookup did not run: $(tail -3 <<<"$out" | tr '\n' ' ')"
fi

# 4. The NodePort answers from the host.
node_port=$(k -n "$NS" get service web-nodeport -o jsonpath='{.spec.ports[0].nodePort}')
out=
for _ in $(seq 30); do
  out=$(curl -fsS --max-time 3 "http://$NODEPORT_HOST:$node_port/" 2>&1) && break
  sleep 1
done
if grep -q '^hello from web-' <<<"$out"; then
  pass "NodePort $node_port answers on $NODEPORT_HOST ($out)"
else
  fail "NodePort $node_port did not answer on $NODEPORT_HOST within 30 tries: $out"
fi

# 5. A PVC on the default StorageClass binds, and its data outlives the pod that wrote it.
# Writer and reader run as a non-root user, as Redis and the chat server do.
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 64Mi}}
EOF
token="smoke-$(date +%s)-$RANDOM"
# The claim may wait for its first consumer (WaitForFirstConsumer), so bind is checked after
# the writer ran.
RUN_POD_PVC=data RUN_POD_UID=10001 run_pod pvc-writer 120 sh -c "echo $token > /data/proof.txt && sync" >/dev/null
if [ "$(k -n "$NS" get pvc data -o jsonpath='{.status.phase}')" = Bound ]; then
  k -n "$NS" delete pod pvc-writer --wait=true --timeout=60s >/dev/null 2>&1
  read_back=$(RUN_POD_PVC=data RUN_POD_UID=10001 run_pod pvc-reader 90 cat /data/proof.txt)
  if [ "$read_back" = "$token" ]; then
    pass "PVC data on StorageClass $(k -n "$NS" get pvc data -o jsonpath='{.spec.storageClassName}') bound, took a non-root writer's data and kept it after the writer pod was deleted"
  else
    fail "PVC data bound, but the reader pod read '$read_back' instead of '$token'"
  fi
else
  fail "PVC data is not Bound after its writer pod ran (default StorageClass: $(k get storageclass --no-headers 2>&1 | tr '\n' ';'); $(k -n "$NS" describe pvc data 2>&1 | tail -3 | tr -s ' ' | tr '\n' ' '))"
fi

# 6. Metrics: kubectl top pods returns figures, and an HPA sees a current CPU value.
k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
EOF
top=
deadline=$((SECONDS + 150))
while (( SECONDS < deadline )); do
  top=$(k -n "$NS" top pods -l app=web --no-headers 2>&1) && grep -qE 'm +[0-9]+Mi' <<<"$top" && break
  top=
  sleep 5
done
if [ -n "$top" ]; then
  pass "kubectl top pods returns figures ($(head -1 <<<"$top" | tr -s ' '))"
else
  fail "kubectl top pods returned no figures in 150s: $(k -n "$NS" top pods 2>&1 | tail -1)"
fi
cpu=
deadline=$((SECONDS + 120))
while (( SECONDS < deadline )); do
  cpu=$(k -n "$NS" get hpa web -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}' 2>/dev/null)
  [ -n "$cpu" ] && break
  sleep 5
done
if [ -n "$cpu" ]; then
  pass "HPA web shows a current CPU utilization of $cpu%"
else
  fail "HPA web shows no current CPU value in 120s: $(k -n "$NS" describe hpa web 2>&1 | grep -A3 -i 'conditions\|warning' | tr -s ' ' | tr '\n' ' ' | cut -c1-400)"
fi

# 7. helm install of a small chart works, and helm uninstall removes it.
chart="$CLUSTER_DIR/smoke/chart/parley-smoke"
repo=${IMAGE%:*} tag=${IMAGE##*:}
if out=$("$HELM" install smoke "$chart" -n "$HELM_NS" --set-string image.repository="$repo",image.tag="$tag" \
    --wait --timeout 120s 2>&1) \
  && [ "$(k -n "$HELM_NS" get deployment smoke-web -o jsonpath='{.status.availableReplicas}' 2>/dev/null)" = 1 ]; then
  if "$HELM" uninstall smoke -n "$HELM_NS" --wait --timeout 60s >/dev/null 2>&1 \
    && wait_for "smoke-web removed" 60 bash -c "! '$KUBECTL' -n '$HELM_NS' get deployment,service smoke-web --no-headers 2>/dev/null | grep -q ." \
    && ! "$HELM" status smoke -n "$HELM_NS" >/dev/null 2>&1; then
    pass "helm install of chart parley-smoke became ready and helm uninstall removed it"
  else
    fail "helm uninstall did not remove release smoke: $(k -n "$HELM_NS" get all --no-headers 2>&1 | tr '\n' ';')"
  fi
else
  fail "helm install of chart parley-smoke failed or did not become ready: $(tail -3 <<<"$out" | tr '\n' ' ')"
fi

# 8. Parley's own images, when `make images` has loaded them: the chat server with Redis
# becomes ready and answers /readyz through a NodePort.
SERVER_IMAGE="${SMOKE_SERVER_IMAGE:-localhost/parley/chat-server:${PARLEY_IMAGE_TAG:-dev}}"
REDIS_IMAGE="${SMOKE_REDIS_IMAGE:-localhost/parley/redis:7.0-$DEBIAN_SUITE}"
loaded_images=
if [ "$KUBECONFIG" = "$KUBECONFIG_PATH" ]; then loaded_images=$(mk -p "$PROFILE" image ls 2>/dev/null); fi
image_loaded() {
  # Only the profile cluster-up started can be asked; elsewhere assume it is loaded.
  [ "$KUBECONFIG" != "$KUBECONFIG_PATH" ] && return 0
  grep -qx "$1" <<<"$loaded_images"
}
if image_loaded "$SERVER_IMAGE" && image_loaded "$REDIS_IMAGE"; then
  k -n "$NS" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata: {name: redis, labels: {app: redis}}
spec:
  containers:
  - {name: redis, image: "$REDIS_IMAGE", imagePullPolicy: IfNotPresent, ports: [{containerPort: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec: {selector: {app: redis}, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Pod
metadata: {name: chat-server, labels: {app: chat-server}}
spec:
  containers:
  - name: server
    image: "$SERVER_IMAGE"
    imagePullPolicy: IfNotPresent
    env:
    - {name: REDIS_HOST, value: "redis.$NS.svc.cluster.local"}
    - {name: REDIS_PORT, value: "6379"}
    - {name: CHAT_NODE_ID, value: chat-server-0}
    readinessProbe: {httpGet: {path: /readyz, port: 8080}, periodSeconds: 2}
    securityContext: {runAsNonRoot: true}
---
apiVersion: v1
kind: Service
metadata: {name: chat-server}
spec:
  type: NodePort
  selector: {app: chat-server}
  ports: [{name: http, port: 8080, nodePort: $CHAT_HTTP_NODEPORT}, {name: chat, port: 6000}]
EOF
  ready= port=
  if k -n "$NS" wait --for=condition=Ready pod/redis pod/chat-server --timeout=120s >/dev/null 2>&1; then
    port=$(k -n "$NS" get service chat-server -o jsonpath='{.spec.ports[0].nodePort}')
    for _ in $(seq 20); do
      ready=$(curl -fsS --max-time 3 "http://$NODEPORT_HOST:$port/readyz" 2>/dev/null) && break
      sleep 1
    done
  fi
  if [ -n "$ready" ]; then
    pass "chat server ($SERVER_IMAGE) with Redis ($REDIS_IMAGE) is ready and answers /readyz on NodePort $port"
  else
    fail "chat server ($SERVER_IMAGE) with Redis did not become ready: $(k -n "$NS" logs chat-server --tail=5 2>&1 | tr '\n' ' ')"
  fi
else
  skip "Parley's images are not loaded (run 'make images' first to check them too)"
fi

# 9. Containers have no way off the machine: the node container reaches the outside only
# through the host, and the docker daemon cluster-up started forwards nothing (ip_forward 0,
# no masquerading). Checked from the configuration: no packet is sent anywhere to prove it.
if dpid=$(dockerd_pid); then
  args=$(tr '\0' ' ' <"/proc/$dpid/cmdline")
  fwd=$(sysctl -n net.ipv4.ip_forward)
  if [ "$fwd" = 0 ] && [[ $args == *--ip-forward=false* ]] && [[ $args == *--ip-masq=false* ]]; then
    pass "containers have no way out: dockerd (pid $dpid) runs with --ip-forward=false --ip-masq=false and the host's ip_forward is 0"
  else
    fail "containers may reach off the machine: host ip_forward=$fwd, dockerd: $args"
  fi
else
  skip "no way out for containers: only checked with the docker daemon cluster-up starts"
fi

if [ "$failed" -gt 0 ]; then
  echo "--- diagnostics"
  k get pods -A -o wide 2>&1 | head -40
  k -n "$NS" get events --sort-by=.lastTimestamp 2>&1 | tail -20
fi
cleanup
echo "smoke suite took $((SECONDS - suite_start))s"
echo "smoke: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
