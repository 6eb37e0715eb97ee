#!/usr/bin/env bash
# `make up` / `make down` / `make deploy-status`: Parley on Kubernetes in one command.
#
# up: uses the cluster KUBECONFIG (or ~/.kube/config) points at when it answers, else starts the
# project's minikube profile (building its tools the first time), builds and loads the images,
# installs the chart helm/chat-operator with a ChatService, waits until it is Ready and prints
# the command to start chatting. Run again with everything up, it changes nothing and says so.
# down: uninstalls the release, and stops the cluster if `up` started it.
#
#   deploy.sh up|down|status
#   PARLEY_NAMESPACE (default parley), PARLEY_RELEASE (default parley)
#   PARLEY_SERVER_IMAGE, PARLEY_OPERATOR_IMAGE, PARLEY_REDIS_IMAGE: on a cluster that is not a
#     minikube profile, the images to deploy, from a registry it pulls from (all three needed).
#     On minikube they are ignored: this tree's images are built and loaded (a shell that once
#     exported the names `make images` prints would otherwise deploy stale images).
set -euo pipefail
cd "$(dirname "$0")/.."
. e2e/cluster/lib.sh

NAMESPACE=${PARLEY_NAMESPACE:-parley}
RELEASE=${PARLEY_RELEASE:-parley}
CHAT_NAME=chat
RUN_DIR=$PWD/.run
# Present when `make up` started the project's cluster, so that `make down` stops it too.
STARTED_MARK=$RUN_DIR/cluster-started-by-make-up
# The kubeconfig `make up` deployed with, for `make down` and `make status`.
DEPLOYED_TO=$RUN_DIR/deployed-kubeconfig

step_start=$SECONDS
step() { step_start=$SECONDS; log "$*"; }
done_step() { log "  done in $((SECONDS - step_start))s"; }

# answers: the cluster of the current kubeconfig replies within 10 s.
answers() { timeout 15 "$(kubectl_bin)" --request-timeout=10s get --raw /readyz >/dev/null 2>&1; }
k() { "$(kubectl_bin)" "$@"; }
helm_() { "$(helm_bin)" "$@"; }

use_cluster() {
  if [ -n "${KUBECONFIG:-}" ] || [ -f "$HOME/.kube/config" ]; then
    if answers; then
      log "using the cluster of ${KUBECONFIG:-$HOME/.kube/config} ($(k config current-context 2>/dev/null || echo no context))"
      return
    fi
    log "the cluster of ${KUBECONFIG:-$HOME/.kube/config} does not answer: starting the project's own"
  fi
  if [ "$(minikube_mode)" = offline ] && [ ! -x "$MINIKUBE_BUILD/bin/minikube" ]; then
    step "building the cluster tools (first time only, then cached; each step says how long it usually takes)"
    make -s cluster-tools
    done_step
  fi
  step "starting the cluster (minikube profile $PROFILE, about 1 min)"
  local was_running=
  [ "$(mk status -p "$PROFILE" -f '{{.Host}}' 2>/dev/null)" = Running ] && was_running=1
  local line
  line=$(make -s cluster-up | grep -o 'export KUBECONFIG=.*' | tail -1)
  [ -n "$line" ] || die "make cluster-up printed no KUBECONFIG line"
  eval "$line"
  [ -n "$was_running" ] || { mkdir -p "$RUN_DIR"; echo "$PROFILE" >"$STARTED_MARK"; }
  done_step
}

IMAGE_NAMES=(SERVER OPERATOR REDIS)

# image_loading: how make images gets images into this cluster: `minikube image load` into the
# profile named like the kubeconfig's context. Images built here reach no other cluster's nodes,
# whose pods would then wait minutes for a pull that cannot succeed: there, without the three
# images given, stop at once and say what to do.
image_loading() {
  local context name var missing=()
  context=$(k config current-context 2>/dev/null || true)
  if [ "$KUBECONFIG" = "$KUBECONFIG_PATH" ] || mk profile list -o json 2>/dev/null | grep -q "\"Name\":\"$context\""; then
    export IMAGE_LOAD=minikube PARLEY_PROFILE=${context:-$PROFILE}
    for name in "${IMAGE_NAMES[@]}"; do
      var=PARLEY_${name}_IMAGE
      [ -z "${!var:-}" ] || log "ignoring $var=${!var}: on minikube make up deploys the images it builds from this tree"
      unset "$var"
    done
    return
  fi
  export IMAGE_LOAD=none
  for name in "${IMAGE_NAMES[@]}"; do
    var=PARLEY_${name}_IMAGE
    [ -n "${!var:-}" ] || missing+=("$var")
  done
  [ ${#missing[@]} -gt 0 ] || { log "deploying the images given: $PARLEY_SERVER_IMAGE, $PARLEY_OPERATOR_IMAGE, $PARLEY_REDIS_IMAGE"; return; }
  log "ERROR: context ${context:-?} is not a minikube profile: images built here cannot reach its nodes, and"
  log "its pods would wait minutes for a pull that fails (missing: ${missing[*]}). Either push Parley's images"
  log "to a registry the cluster pulls from and pass them:"
  log "    IMAGE_LOAD=none make images     # builds them and prints their names"
  log "    docker tag / docker push each to <registry>/..., then"
  log "    PARLEY_SERVER_IMAGE=<registry>/chat-server:<tag> PARLEY_OPERATOR_IMAGE=<registry>/operator:<tag> \\"
  log "      PARLEY_REDIS_IMAGE=<registry>/redis:<tag> make up"
  log "or deploy on the project's minikube: make cluster-up, then make up with the KUBECONFIG it prints."
  exit 1
}

up() {
  use_cluster
  export KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}
  image_loading
  if [ "$IMAGE_LOAD" = minikube ]; then
    step "building and loading the images (under 1 min, seconds when the cluster has them; the first time 3 min more for the base images)"
    local images line
    images=$(make -s images) || die "make images failed"
    while IFS= read -r line; do export "${line?}"; done < <(grep -E '^PARLEY_[A-Z]+_IMAGE=' <<<"$images")
    done_step
  fi
  local server=${PARLEY_SERVER_IMAGE:-}
  [ -n "$server" ] && [ -n "${PARLEY_REDIS_IMAGE:-}" ] && [ -n "${PARLEY_OPERATOR_IMAGE:-}" ] \
    || die "make images printed no server, Redis or operator image"

  # Helm installs a chart's CRDs only when they are missing and never upgrades them.
  step "applying the ChatService CRD"
  k apply --server-side --force-conflicts -f crds/chatservices.chat.parley.dev-v1.yml >/dev/null
  k wait --for=condition=Established crd/chatservices.chat.parley.dev --timeout=60s >/dev/null

  mkdir -p "$RUN_DIR"
  echo "$KUBECONFIG" >"$DEPLOYED_TO"
  step "installing the chart helm/chat-operator as release $RELEASE in namespace $NAMESPACE"
  local out images_args
  mapfile -t images_args < <(chart_image_args)
  if ! out=$(helm_ upgrade --install "$RELEASE" helm/chat-operator --namespace "$NAMESPACE" --create-namespace \
      "${images_args[@]}" --set chatService.enabled=true --set "chatService.name=$CHAT_NAME" 2>&1); then
    echo "$out" >&2
    die "helm upgrade --install failed"
  fi
  local deployment
  deployment=$(k -n "$NAMESPACE" get deploy -l "app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/name=chat-operator" -o name)
  k -n "$NAMESPACE" rollout status "$deployment" --timeout=3m \
    || die "the operator did not start: kubectl -n $NAMESPACE logs $deployment"
  done_step

  step "waiting for ChatService $CHAT_NAME to be Ready (usually under 1 min)"
  local deadline=$((SECONDS + 300)) last=
  while (( SECONDS < deadline )); do
    local ready reason image
    ready=$(k -n "$NAMESPACE" get chat "$CHAT_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
    # Ready counts once the chat servers run this build's image: right after an upgrade the
    # status may still describe the previous one.
    image=$(k -n "$NAMESPACE" get deploy "$CHAT_NAME-server" -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null || true)
    if [ "$ready" = True ] && [ "$image" = "$server" ] \
      && k -n "$NAMESPACE" rollout status deploy "$CHAT_NAME-server" --timeout=1s >/dev/null 2>&1; then
      break
    fi
    reason=$(k -n "$NAMESPACE" get chat "$CHAT_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null || true)
    if [ -n "$reason" ] && [ "$reason" != "$last" ]; then log "  $reason"; last=$reason; fi
    sleep 2
  done
  (( SECONDS < deadline )) || die "ChatService $CHAT_NAME is not Ready after 5 min: kubectl -n $NAMESPACE describe chat $CHAT_NAME"
  done_step

  local port host
  port=$(k -n "$NAMESPACE" get svc "$CHAT_NAME-server" -o jsonpath='{.spec.ports[0].nodePort}')
  host=$(client_host)
  echo
  echo "Parley is up: ChatService $CHAT_NAME in namespace $NAMESPACE, $(k -n "$NAMESPACE" get chat "$CHAT_NAME" -o jsonpath='{.status.readyReplicas}') chat servers."
  echo "Chat with (each person their own name; the first login of a name sets its password):"
  echo "  chat-client/bin/parley-chat $host $port alice"
  echo "  chat-client/bin/parley-chat $host $port bob alice     # DMs to alice"
  echo "kubectl: export KUBECONFIG=$KUBECONFIG; kubectl -n $NAMESPACE get chat"
  echo "Stop with: make down"
}

# client_host: where clients reach the node port from this machine. The project's cluster
# publishes its node ports on 127.0.0.1; another minikube has its `minikube ip`; anything else
# a node's address.
client_host() {
  if [ "$KUBECONFIG" = "$KUBECONFIG_PATH" ]; then echo 127.0.0.1; return; fi
  local ip
  ip=$(k get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="ExternalIP")].address}' 2>/dev/null)
  [ -n "$ip" ] || ip=$(k get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
  echo "$ip"
}

# deployed_kubeconfig: KUBECONFIG as given, else the one `make up` used.
deployed_kubeconfig() {
  if [ -z "${KUBECONFIG:-}" ] && [ -f "$DEPLOYED_TO" ]; then export KUBECONFIG; KUBECONFIG=$(cat "$DEPLOYED_TO"); fi
  export KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}
}

down() {
  deployed_kubeconfig
  if answers && helm_ status "$RELEASE" -n "$NAMESPACE" >/dev/null 2>&1; then
    step "uninstalling release $RELEASE (the ChatService's Redis volume stays: kubectl -n $NAMESPACE delete pvc --all drops it)"
    helm_ uninstall "$RELEASE" -n "$NAMESPACE" --wait --timeout 3m >/dev/null
    done_step
  else
    log "no release $RELEASE to uninstall"
  fi
  if [ -f "$STARTED_MARK" ]; then
    step "stopping the cluster make up started"
    make -s cluster-down
    rm -f "$STARTED_MARK"
    done_step
  fi
  rm -f "$DEPLOYED_TO"
}

status() {
  deployed_kubeconfig
  if ! answers; then echo "No cluster answers (KUBECONFIG=$KUBECONFIG)"; return; fi
  helm_ status "$RELEASE" -n "$NAMESPACE" 2>/dev/null | sed -n '1,6p' || echo "No release $RELEASE"
  k -n "$NAMESPACE" get chat,pods 2>/dev/null || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
