#!/usr/bin/env bash
# Builds everything minikube needs to start without internet from the package registries, into
# the cache ($PARLEY_CLUSTER_CACHE, default /var/cache/parley/cluster), one folder per component
# named by the versions that go into it (lib.sh): Kubernetes and etcd, CoreDNS, metrics-server,
# helm, minikube and its storage provisioner, crictl, the capdrop-runc runtime wrapper, then the
# images in minikube's cache and the node image (which has them preloaded). Builds only what is
# missing; prints progress and the usual duration of each long step, since a cold build takes a
# while.
#
#   build-tools.sh [kubernetes|coredns|metrics-server|helm|minikube|crictl|capdrop-runc|cluster-images|node-image]...
#   (default: all, in that order)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false -trimpath"
# A toolchain download would go outside the module proxy's remit; use the machine's Go.
export GOTOOLCHAIN=local
export GOCACHE="$CACHE_DIR/go-build"
# Go compiles yield the CPU to everything else on the machine (tests, benchmarks).
NICE=(nice -n 19)
TIMES_FILE="$CACHE_DIR/build-times.txt"
built_something=

KUBE_CMDS=(kubeadm kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

mkdir -p "$CACHE_DIR" "$GOCACHE"
command -v go >/dev/null || die "go is not installed"

# run_logged NAME USUAL LOGFILE COMMAND...: runs a long step with its output in LOGFILE and a
# progress line every 60 s, so a cold build is never silent for long. USUAL is what the step
# took in the cold runs docs/cluster.md lists (2 cores); each run adds its times to TIMES_FILE.
run_logged() {
  local name=$1 usual=$2 logfile=$3; shift 3
  local start=$SECONDS rc=0
  log "$name: building, usually $usual on 2 cores (log: $logfile)"
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  # Bounded by the step itself: the loop ends when its process does.
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && log "$name: still building, $((SECONDS - start))s, $(grep -c . "$logfile" || true) log lines so far"
  done
  wait "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -40 "$logfile" >&2
    die "$name: build failed (exit $rc), see $logfile"
  fi
  log "$name: built in $((SECONDS - start))s"
  built_something=1
  printf '%s %s %ss %s\n' "$(date -u +%FT%TZ)" "$name" "$((SECONDS - start))" "$(nproc) cpus" >>"$TIMES_FILE"
}

# in_dir DIR COMMAND...: runs COMMAND in DIR (for run_logged, which runs it in a subshell).
in_dir() { cd "$1" && shift && "$@"; }

have_all() { local d=$1; shift; for b in "$@"; do [ -x "$d/$b" ] || return 1; done; }

# module_dir MODULE@VERSION: downloads a module and prints its (read-only) folder.
module_dir() {
  local dir
  dir=$(go mod download -json "$1" | jq -r '.Dir // empty')
  [ -d "$dir" ] || die "could not download $1 from the module proxy"
  echo "$dir"
}

# Kubernetes and etcd in one build module: k8s.io/kubernetes cannot be `go install`ed because
# its go.mod replaces the k8s.io/<staging> modules with local paths, so this module requires
# it and replaces each staging module with its published version instead. etcd is the
# version Kubernetes itself requires, so it shares the module graph and compiled packages.
build_kubernetes() {
  local bin="$KUBE_BIN" dir="${KUBE_BIN%/bin}" src="${KUBE_BIN%/bin}/src"
  if have_all "$bin" "${KUBE_CMDS[@]}" etcd; then
    log "kubernetes $KUBE_VERSION + etcd $ETCD_VERSION: cached in $bin"
    return
  fi
  mkdir -p "$bin" "$src/cmd/etcd"
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | jq -r '.GoMod // empty')
  [ -f "$gomod" ] || die "could not fetch the go.mod of k8s.io/kubernetes@$KUBE_VERSION"
  # The k8s.io/<staging> modules are published as v0.<minor>.<patch> of the same release.
  local staging staging_version="v0.${KUBE_VERSION#v1.}"
  staging=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$gomod")
  [ "$(wc -w <<<"$staging")" -gt 20 ] || die "found too few staging modules in $gomod"
  {
    echo "module parley.local/cluster-build/kubernetes"
    echo
    sed -n 's/^go \(.*\)/go \1/p' "$gomod"
    echo
    # Same default GODEBUG settings as upstream's own binaries.
    grep '^godebug ' "$gomod" || true
    echo
    echo "require ("
    echo "	k8s.io/kubernetes $KUBE_VERSION"
    echo "	go.etcd.io/etcd/server/v3 $ETCD_VERSION"
    echo ")"
    echo
    echo "replace ("
    for m in $staging; do echo "	$m => $m $staging_version"; done
    echo ")"
  } >"$src/go.mod"
  cat >"$src/cmd/etcd/main.go" <<'GO'
// Command etcd is upstream's etcd server entry point, built inside the Kubernetes module graph.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  local pkg=k8s.io/component-base/version cpkg=k8s.io/client-go/pkg/version
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  # The flags upstream's hack/lib/version.sh sets; without them servers report v0.0.0.
  local ldflags="-s -w"
  for p in $pkg $cpkg; do
    ldflags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  local targets=()
  for c in "${KUBE_CMDS[@]}"; do targets+=("k8s.io/kubernetes/cmd/$c"); done
  targets+=(./cmd/etcd)
  (cd "$src" && go mod download k8s.io/kubernetes go.etcd.io/etcd/server/v3)
  run_logged "kubernetes $KUBE_VERSION + etcd $ETCD_VERSION" "5 to 14 min" "$dir/build.log" \
    in_dir "$src" "${NICE[@]}" go build -v -ldflags "$ldflags" -o "$bin/" "${targets[@]}"
  local etcd_got
  etcd_got=$(cd "$src" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
  [ "$etcd_got" = "$ETCD_VERSION" ] || log "warning: etcd resolved to $etcd_got, not $ETCD_VERSION"
}

# go_install NAME BIN USUAL LDFLAGS PACKAGE@VERSION BINARY: modules without replace directives,
# into BIN (lib.sh names it), with the build log beside it.
go_install() {
  local name=$1 bin=$2 usual=$3 ldflags=$4 target=$5 binname=$6
  if [ -x "$bin/$binname" ]; then log "$name: cached in $bin"; return; fi
  mkdir -p "$bin"
  run_logged "$name" "$usual" "${bin%/bin}/build.log" \
    env GOBIN="$bin" GOFLAGS="-buildvcs=false -trimpath" \
    "${NICE[@]}" go install -v -ldflags "$ldflags" "$target"
}

build_coredns() {
  go_install "coredns $COREDNS_VERSION" "$COREDNS_BIN" "4 to 5 min" "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION" coredns
}
build_metrics_server() {
  go_install "metrics-server $METRICS_SERVER_VERSION" "$METRICS_SERVER_BIN" "3.5 to 5 min" \
    "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION" metrics-server
}
build_helm() {
  go_install "helm $HELM_VERSION" "$HELM_BIN" "1.5 to 2 min" \
    "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=34 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=34" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" helm
}
build_crictl() {
  go_install "crictl $CRICTL_VERSION" "$CRICTL_BIN" "under 1 min" \
    "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_VERSION#v}" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION" crictl
}

# minikube and its storage provisioner. The checksum database has no entry for
# k8s.io/minikube, hence GONOSUMDB; its go.mod has replace directives, so it is built as the
# main module inside a writable copy, with the version flags of its Makefile.
build_minikube() {
  local dir="$MINIKUBE_BUILD" bin="$MINIKUBE_BUILD/bin" src="$MINIKUBE_BUILD/src"
  if have_all "$bin" minikube storage-provisioner; then
    log "minikube $MINIKUBE_VERSION + storage provisioner $STORAGE_PROVISIONER_TAG: cached in $bin"
    return
  fi
  local mod
  mod=$(GONOSUMDB=k8s.io/minikube module_dir "k8s.io/minikube@$MINIKUBE_VERSION")
  rm -rf "$src"
  mkdir -p "$bin"
  cp -r "$mod" "$src"
  chmod -R u+w "$src"
  # The provisioner's leader election uses the endpoints lock that current client-go removed
  # ("endpoints lock is removed, migrate to leases") and crash-loops; one node needs no
  # election. The only change made to minikube's source.
  local sp="$src/pkg/storage/storage_provisioner.go"
  sed -i 's/controller.NewProvisionController(clientset, provisionerName, hostPathProvisioner, serverVersion.GitVersion)/controller.NewProvisionController(clientset, provisionerName, hostPathProvisioner, serverVersion.GitVersion, controller.LeaderElection(false))/' "$sp"
  grep -q 'LeaderElection(false)' "$sp" || die "could not turn off the storage provisioner's leader election in $sp"
  run_logged "minikube $MINIKUBE_VERSION + storage provisioner $STORAGE_PROVISIONER_TAG" "2.5 to 5.5 min" "$dir/build.log" compile_minikube "$src" "$bin"
  rm -rf "$src"
}

# compile_minikube SRC BIN: minikube with the version flags of its Makefile, and the storage
# provisioner with its image tag.
compile_minikube() {
  local src=$1 bin=$2 v=k8s.io/minikube/pkg/version
  cd "$src"
  "${NICE[@]}" go build -v -o "$bin/minikube" -ldflags "-s -w -X $v.version=$MINIKUBE_VERSION \
    -X $v.isoVersion=$MINIKUBE_VERSION -X $v.storageProvisionerVersion=$STORAGE_PROVISIONER_TAG" ./cmd/minikube
  "${NICE[@]}" go build -v -o "$bin/storage-provisioner" \
    -ldflags "-s -w -X k8s.io/minikube/pkg/storage.version=$STORAGE_PROVISIONER_TAG" ./cmd/storage-provisioner
}

# Docker Compose v2 as a standalone docker-compose binary. Its go.mod has exclude directives, so
# like minikube it is built as the main module inside a writable copy.
build_compose() {
  local dir="${COMPOSE_BIN%/bin}" src="${COMPOSE_BIN%/bin}/src"
  if [ -x "$COMPOSE_BIN/docker-compose" ]; then log "docker compose $COMPOSE_VERSION: cached in $COMPOSE_BIN"; return; fi
  local mod
  mod=$(module_dir "github.com/docker/compose/v2@$COMPOSE_VERSION")
  rm -rf "$src"
  mkdir -p "$COMPOSE_BIN"
  cp -r "$mod" "$src"
  chmod -R u+w "$src"
  run_logged "docker compose $COMPOSE_VERSION" "1.5 to 3 min" "$dir/build.log" \
    bash -c 'cd "$1" && shift && exec "$@"' _ "$src" \
    "${NICE[@]}" go build -v -o "$COMPOSE_BIN/docker-compose" \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" ./cmd
  rm -rf "$src"
}

# The runtime wrapper from this repository (node/capdrop-runc); its folder is named by a hash of
# its source (lib.sh), so a change to the source builds it afresh.
build_capdrop() {
  if [ -x "$CAPDROP_BIN/capdrop-runc" ]; then
    log "capdrop-runc: cached in $CAPDROP_BIN"
    return
  fi
  mkdir -p "$CAPDROP_BIN"
  (cd "$CAPDROP_SRC" && go build -ldflags "-s -w" -o "$CAPDROP_BIN/capdrop-runc.tmp" . \
    && mv "$CAPDROP_BIN/capdrop-runc.tmp" "$CAPDROP_BIN/capdrop-runc")
  log "capdrop-runc: built in $CAPDROP_BIN"
}

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kubernetes coredns metrics-server helm minikube crictl capdrop-runc compose cluster-images node-image)
total_start=$SECONDS
for c in "${components[@]}"; do
  case $c in
    kubernetes) build_kubernetes ;;
    coredns) build_coredns ;;
    metrics-server) build_metrics_server ;;
    helm) build_helm ;;
    minikube) build_minikube ;;
    crictl) build_crictl ;;
    capdrop-runc) build_capdrop ;;
    compose) build_compose ;;
    node-image) "$CLUSTER_DIR/node-image.sh" ;;
    cluster-images) "$CLUSTER_DIR/cluster-images.sh" ;;
    *) die "unknown component: $c" ;;
  esac
done
# Go's build cache (about 6 GB) only speeds up a rebuild after a version bump; the binaries
# are what is kept. PARLEY_KEEP_GOCACHE=1 keeps it.
if [ -n "$built_something" ] && [ "${PARLEY_KEEP_GOCACHE:-0}" != 1 ]; then
  rm -rf "$GOCACHE"
  log "removed Go's build cache $GOCACHE (PARLEY_KEEP_GOCACHE=1 keeps it)"
fi
log "cluster tools ready in $((SECONDS - total_start))s (cache: $CACHE_DIR)"
