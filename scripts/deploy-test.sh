#!/usr/bin/env bash
# Tests the main job on the cluster in KUBECONFIG (CI: the project's minikube after the smoke
# suite): `make up` deploys and prints the client command; a second `make up` with everything
# running takes under a minute and rolls nothing; a DM goes through the NodePort; `helm upgrade`
# to a new chat server image tag rolls the chat pods and the history stays; `make down` removes
# the operator and every object of the ChatService but the Redis volume. Then the README's one
# command, `helm install ... --set chatService.enabled=true`, on a cluster without the CRD (the
# chart's crds/ installs it). Last, on the project's own cluster only: `make up` with no cluster
# answering starts it, and `make down` stops it again; the project's cluster is then stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
. e2e/cluster/lib.sh
. scripts/chat-check.sh
. scripts/cluster-env.sh

NS=parley RELEASE=parley CHAT=chat
HOST=${PARLEY_NODEPORT_HOST:-127.0.0.1} PORT=30060
# Names of this run's own: a volume kept from an earlier run may know alice and bob already.
ALICE=alice-$$ BOB=bob-$$
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
k() { "$(kubectl_bin)" "$@"; }
summary() { echo "deploy: $passed passed, $failed failed"; }
trap summary EXIT

log "make up"
start=$SECONDS
out=$(make -s up 2>&1) || { echo "$out" | tail -30; fail "make up"; exit 1; }
if grep -q "parley-chat $HOST $PORT alice" <<<"$out"; then
  pass "make up: Ready in $((SECONDS - start))s, printed 'parley-chat $HOST $PORT alice'"
else
  echo "$out" | tail -15; fail "make up printed no client command for $HOST:$PORT"
fi
export KUBECONFIG; KUBECONFIG=$(cat .run/deployed-kubeconfig)
chat_pods() { k -n "$NS" get pods -l app.kubernetes.io/instance=$CHAT,app.kubernetes.io/component=server -o name | sort; }

# Everything is up to date now: the README promises under a minute, and nothing to roll.
log "make up again, with everything running"
pods_before=$(chat_pods)
start=$SECONDS
out=$(make -s up 2>&1) || { echo "$out" | tail -30; fail "second make up"; exit 1; }
took=$((SECONDS - start))
if (( took <= 60 )) && grep -q "parley-chat $HOST $PORT alice" <<<"$out" && [ "$(chat_pods)" = "$pods_before" ]; then
  pass "second make up: ${took}s (at most 60), the same chat pods, printed the client command"
else
  echo "$out" | tail -25; fail "second make up: ${took}s (at most 60), chat pods before: $pods_before, after: $(chat_pods)"
fi

chat_send "$HOST" "$PORT" "$BOB" "bob is here" >/dev/null || true
id=$(chat_send "$HOST" "$PORT" "$ALICE" "$BOB" "before the upgrade" || true)
if [ -n "$id" ]; then pass "a DM through NodePort $PORT on $HOST acknowledged (id $id)"; else fail "DM through the NodePort"; fi

# A new tag of the same server image stands in for a new release of it.
old_image=$(k -n "$NS" get deploy "$CHAT-server" -o jsonpath='{.spec.template.spec.containers[0].image}')
new_tag="${old_image##*:}-upgrade"
docker tag "$old_image" "${old_image%:*}:$new_tag"
docker save "${old_image%:*}:$new_tag" -o "$STATE_DIR/upgrade-image.tar"
mk -p "$PROFILE" image load "$STATE_DIR/upgrade-image.tar"
rm -f "$STATE_DIR/upgrade-image.tar"
old_pods=$(chat_pods)
log "helm upgrade to chat server tag $new_tag"
"$(helm_bin)" upgrade "$RELEASE" helm/chat-operator -n "$NS" --reuse-values --set "defaultImages.server.tag=$new_tag" >/dev/null
deadline=$((SECONDS + 300))
until [ "$(k -n "$NS" get deploy "$CHAT-server" -o jsonpath='{.spec.template.spec.containers[0].image}')" = "${old_image%:*}:$new_tag" ] \
  && k -n "$NS" rollout status deploy "$CHAT-server" --timeout=1s >/dev/null 2>&1 \
  && [ "$(k -n "$NS" get chat "$CHAT" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ] \
  && [ -z "$(comm -12 <(echo "$old_pods") <(chat_pods))" ]; do
  # The rollout is done when the new pods are ready, but the old ones take their grace period to
  # end: the check waits until none of them is listed any more.
  (( SECONDS < deadline )) || break
  sleep 2
done
new_pods=$(chat_pods)
if (( SECONDS < deadline )) && [ -z "$(comm -12 <(echo "$old_pods") <(echo "$new_pods"))" ]; then
  pass "helm upgrade rolled every chat pod to tag $new_tag, Ready again"
else
  fail "helm upgrade: image $(k -n "$NS" get deploy "$CHAT-server" -o jsonpath='{.spec.template.spec.containers[0].image}'), pods before: $old_pods, after: $new_pods"
fi
history=$(history_between "$HOST" "$PORT" "$BOB" "$ALICE")
if grep -q "\"id\":$id," <<<"$history" && grep -q '"text":"before the upgrade"' <<<"$history"; then
  pass "after the upgrade, $BOB's history still has message $id"
else
  fail "history after the upgrade: '$history'"
fi

log "make down"
make -s down >/dev/null 2>&1 || fail "make down"
left=$(k -n "$NS" get deploy,statefulset,service,pdb,hpa,chatservice -o name 2>/dev/null)
deadline=$((SECONDS + 120))
while [ -n "$left" ] && (( SECONDS < deadline )); do sleep 2; left=$(k -n "$NS" get deploy,statefulset,service,pdb,hpa,chatservice -o name 2>/dev/null); done
if [ -z "$left" ]; then pass "make down removed the operator and the chat service's objects"; else fail "left after make down: $left"; fi
if [ "$(k -n "$NS" get pvc "data-$CHAT-redis-0" -o jsonpath='{.status.phase}' 2>/dev/null)" = Bound ]; then
  pass "the history's volume data-$CHAT-redis-0 stays (keepOnDelete)"
else
  fail "the Redis volume is gone"
fi
k delete namespace "$NS" --wait=true --timeout=120s >/dev/null 2>&1 || true

# The README's one command, with the CRD coming from the chart's crds/: only on a cluster that
# lacks it, since Helm never touches a CRD that exists. Offline, the images must be named (the
# chart's defaults are on registries out of reach); the CRD is put back as it was afterwards.
CRD=chatservices.chat.parley.dev APP_NS=chat-app
one_command="helm install chat helm/chat-operator -n $APP_NS --create-namespace --set chatService.enabled=true"
crd_existed=
one_command_cleanup() {
  "$(helm_bin)" uninstall chat -n "$APP_NS" --wait --timeout 3m >/dev/null 2>&1 || true
  k delete namespace "$APP_NS" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
  if [ -z "$crd_existed" ]; then
    k delete crd "$CRD" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1 || true
  elif ! k get crd "$CRD" >/dev/null 2>&1; then
    k apply --server-side -f crds/$CRD-v1.yml >/dev/null || true
  fi
}
on_exit() { one_command_cleanup; summary; }
log "$one_command"
# make up may have started the cluster, and make down stopped it again.
answers() { timeout 15 "$(kubectl_bin)" --request-timeout=10s get --raw /readyz >/dev/null 2>&1; }
answers || { eval "$(make -s cluster-up | grep -o 'export KUBECONFIG=.*' | tail -1)"; }
cluster_with_images >/dev/null
others=$(k get chatservices -A -o name 2>/dev/null || true)
if [ -n "$others" ]; then
  fail "the one command: ChatServices are left on the cluster ($(echo $others)); deleting the CRD would delete them"
else
  k get crd "$CRD" >/dev/null 2>&1 && crd_existed=1
  trap on_exit EXIT
  k delete crd "$CRD" --ignore-not-found --wait=true --timeout=60s >/dev/null
  mapfile -t images_args < <(chart_image_args)
  start=$SECONDS
  if ! out=$("$(helm_bin)" install chat helm/chat-operator -n "$APP_NS" --create-namespace --set chatService.enabled=true \
      "${images_args[@]}" 2>&1); then
    echo "$out" | tail -15; fail "$one_command"
  elif ! k -n "$APP_NS" wait chat/chat --for=condition=Ready --timeout=300s >/dev/null; then
    k -n "$APP_NS" get chat,pods 2>&1 | tail -10; fail "$one_command: ChatService chat not Ready in 5 min"
  else
    id=$(chat_send "$HOST" "$PORT" "$ALICE" "after the one command" || true)
    if grep -q "parley-chat <node-address> $PORT <your-name>" <<<"$out" && [ -n "$id" ]; then
      pass "$one_command: the CRD from the chart, Ready in $((SECONDS - start))s, a message through the notes' NodePort $PORT (id $id)"
    else
      echo "$out" | sed -n '/^NOTES:/,$p'; fail "$one_command: message id '$id', or the notes name no port $PORT"
    fi
  fi
  one_command_cleanup
  trap summary EXIT
  if k get namespace "$APP_NS" >/dev/null 2>&1 || { [ -z "$crd_existed" ] && k get crd "$CRD" >/dev/null 2>&1; }; then
    fail "after helm uninstall: namespace $APP_NS or the CRD is still there"
  elif [ -n "$crd_existed" ]; then
    pass "helm uninstall: namespace $APP_NS gone; the CRD stays, as before the test (Helm never deletes CRDs)"
  else
    pass "helm uninstall: namespace $APP_NS gone, and the CRD the chart installed deleted (Helm never does)"
  fi
fi

# A cluster that is not minikube cannot use images built here: make up stops before deploying,
# and says what to do. The project's cluster under another context name stands in for one.
other_kubeconfig=$(mktemp)
cp "$KUBECONFIG" "$other_kubeconfig"
k --kubeconfig "$other_kubeconfig" config rename-context "$(k config current-context)" elsewhere >/dev/null
start=$SECONDS
if out=$(env -u PARLEY_SERVER_IMAGE -u PARLEY_OPERATOR_IMAGE -u PARLEY_REDIS_IMAGE KUBECONFIG="$other_kubeconfig" make -s up 2>&1); then
  fail "make up on a cluster that is not minikube, without images given, succeeded"
elif grep -q "not a minikube profile" <<<"$out" && grep -q "PARLEY_SERVER_IMAGE=<registry>" <<<"$out" \
    && ! "$(helm_bin)" status "$RELEASE" -n "$NS" >/dev/null 2>&1; then
  pass "make up on a cluster that is not minikube, no images given: stopped in $((SECONDS - start))s, before deploying, saying what to do"
else
  echo "$out" | tail -12; fail "make up on a cluster that is not minikube: no clear early stop"
fi
rm -f "$other_kubeconfig"

# make up on a machine where no cluster answers: it starts the project's cluster, and make down
# stops it because make up started it. The cluster is deleted for that, so only when the
# cluster under test is the project's own.
if [ "$KUBECONFIG" != "$KUBECONFIG_PATH" ]; then
  log "skipping make up without a cluster: the cluster under test is not the project's own ($KUBECONFIG)"
else
  log "make up with no cluster answering (the project's cluster deleted first)"
  make -s cluster-down >/dev/null 2>&1
  start=$SECONDS
  # A kubeconfig that names no cluster: what a machine without one has.
  if ! out=$(KUBECONFIG=/nonexistent/kubeconfig make -s up 2>&1); then
    echo "$out" | tail -30; fail "make up with no cluster answering"
  else
    ready=$(k -n "$NS" get chat "$CHAT" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
    if grep -q "starting the cluster (minikube profile $PROFILE" <<<"$out" && grep -q "parley-chat $HOST $PORT alice" <<<"$out" \
        && [ "$ready" = True ]; then
      pass "make up with no cluster answering: started profile $PROFILE, Ready in $((SECONDS - start))s, printed the client command"
    else
      echo "$out" | tail -20; fail "make up with no cluster answering: ChatService Ready '$ready', or no cluster start or client command"
    fi
  fi
  start=$SECONDS
  out=$(env -u KUBECONFIG make -s down 2>&1) || { echo "$out" | tail -10; fail "make down"; }
  host=$(mk status -p "$PROFILE" -f '{{.Host}}' 2>/dev/null | head -1 || true)
  case $host in *"not found"*|"") host=deleted ;; esac
  if grep -q "stopping the cluster make up started" <<<"$out" && [ "$host" != Running ] && [ ! -e .run/cluster-started-by-make-up ]; then
    pass "make down uninstalled and stopped the cluster make up started in $((SECONDS - start))s (profile $PROFILE: $host)"
  else
    echo "$out" | tail -10; fail "make down after make up started the cluster: profile $PROFILE is '$host'"
  fi
fi
[ "$failed" -eq 0 ]
