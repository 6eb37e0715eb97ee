#!/usr/bin/env bash
# The end-to-end suite (docs/e2e.md). Deploys Parley with its Helm chart and a ChatService into a
# namespace of its own on the cluster in KUBECONFIG (else the project's own, started when it is
# not up), runs parley-e2e against the NodePort while it breaks things, writes the report to
# e2e/target/report/, and removes the deployment again.
#   scripts/e2e.sh smoke   (make e2e-smoke: a chat pod kill and a Redis kill, a few minutes)
#   scripts/e2e.sh full    (make e2e: every scenario, about 10 minutes)
# PARLEY_NODEPORT_HOST: a node address reaching the NodePort (default 127.0.0.1, where the
# project's cluster publishes 30060-30069, else the first node's InternalIP, as `minikube ip`). PARLEY_E2E_ARGS: more options
# for parley-e2e (e.g. "--users 80 --rate 400"; --help lists them). Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
. e2e/cluster/lib.sh
. scripts/cluster-env.sh

MODE=${1:-smoke}
case "$MODE" in smoke|full) ;; *) echo "usage: scripts/e2e.sh smoke|full" >&2; exit 2 ;; esac
NS=${PARLEY_E2E_NAMESPACE:-parley-e2e}
RELEASE=e2e NAME=e2e
PORT=${PARLEY_E2E_NODEPORT:-30062}
HOST=${PARLEY_NODEPORT_HOST:-127.0.0.1}
REPORT=e2e/target/report
JAR=e2e/target/parley-load.jar
k() { "$(kubectl_bin)" "$@"; }

[ -f "$JAR" ] || { echo "No $JAR: run 'make build' first" >&2; exit 1; }
cluster_with_images

# An operator that watches every namespace (make up installs one) would manage our ChatService too.
others=$(k get deploy -A -l app.kubernetes.io/name=chat-operator -o jsonpath='{range .items[*]}{.metadata.namespace}{"\n"}{end}' | grep -vx "$NS" || true)
if [ -n "$others" ]; then
  echo "Another Parley operator runs in namespace(s) $(echo $others): it would act on the e2e ChatService too." >&2
  echo "Remove it first ('make down' removes the one 'make up' installed)." >&2
  exit 1
fi

cleanup() {
  log "removing release $RELEASE and namespace $NS"
  "$(helm_bin)" uninstall "$RELEASE" -n "$NS" --wait --timeout 2m >/dev/null 2>&1 || true
  k delete namespace "$NS" --ignore-not-found --wait=true --timeout=180s >/dev/null 2>&1 || true
}
collect_logs() {
  local dir=$REPORT/logs
  mkdir -p "$dir"
  k -n "$NS" get all,chatservice,pvc,events -o wide >"$dir/objects.txt" 2>&1 || true
  k -n "$NS" logs -l app.kubernetes.io/name=chat-operator --tail=2000 >"$dir/operator.log" 2>&1 || true
  k -n "$NS" logs -l app.kubernetes.io/component=server --tail=500 --prefix >"$dir/chat-server.log" 2>&1 || true
  k -n "$NS" logs "$NAME-redis-0" --tail=500 >"$dir/redis.log" 2>&1 || true
  log "cluster state and logs: $dir/"
}

log "fresh namespace $NS"
k delete namespace "$NS" --ignore-not-found --wait=true --timeout=180s >/dev/null
k create namespace "$NS" >/dev/null
trap cleanup EXIT
# Helm installs a chart's CRD only when it is missing; apply it so an older one is updated.
k apply --server-side --force-conflicts -f crds/chatservices.chat.parley.dev-v1.yml >/dev/null

log "helm install $RELEASE: the operator, watching $NS, and ChatService $NAME on NodePort $PORT"
spec=$(printf '{"replicas":2,"service":{"type":"NodePort","nodePort":%d},"chat":{"historyRetention":1000000}}' "$PORT")
mapfile -t images_args < <(chart_image_args)
"$(helm_bin)" upgrade --install "$RELEASE" helm/chat-operator -n "$NS" --wait --timeout 3m "${images_args[@]}" \
  --set "watchNamespaces={$NS}" \
  --set chatService.enabled=true --set chatService.name="$NAME" --set-json "chatService.spec=$spec" >/dev/null
log "waiting for ChatService $NAME to be Ready"
if ! k -n "$NS" wait "chatservice/$NAME" --for=condition=Ready --timeout=300s >/dev/null; then
  collect_logs
  echo "ChatService $NAME did not become Ready within 5 min" >&2
  exit 1
fi

if [ -z "${PARLEY_NODEPORT_HOST:-}" ] && ! timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null; then
  # Not published on loopback (another minikube, a real cluster): a node's own address.
  HOST=$(k get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
  log "NodePort $PORT does not answer on 127.0.0.1; using the node's address $HOST"
fi

args=(--mode "$MODE" --host "$HOST" --port "$PORT" --namespace "$NS" --name "$NAME" --report-dir "$REPORT")
if [ "$MODE" = full ]; then
  # The rollout scenario moves the chat server to another tag of the same image, loaded like the rest.
  rollout="${PARLEY_SERVER_IMAGE%:*}:${PARLEY_SERVER_IMAGE##*:}-rollout"
  docker tag "$PARLEY_SERVER_IMAGE" "$rollout"
  docker save "$rollout" -o "$STATE_DIR/rollout-image.tar"
  mk -p "$PROFILE" image load "$STATE_DIR/rollout-image.tar"
  rm -f "$STATE_DIR/rollout-image.tar"
  args+=(--rollout-image "$rollout")
fi
rm -rf "$REPORT"
status=0
# shellcheck disable=SC2086 # PARLEY_E2E_ARGS is a list of options
java -cp "$JAR" dev.parley.e2e.suite.E2eCommand "${args[@]}" ${PARLEY_E2E_ARGS:-} || status=$?
[ "$status" -eq 0 ] || collect_logs
exit "$status"
