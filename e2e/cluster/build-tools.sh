#!/usr/bin/env bash
# Compiles the pinned cluster components from their published Go modules into the cache
# ($PARLEY_CLUSTER_CACHE, default /var/cache/parley/cluster), one folder per component and
# version. Builds only what is missing; prints progress, since a cold build takes a while.
#
#   build-tools.sh [kubernetes|coredns|metrics-server|helm|local-path-provisioner|cluster-images]...
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

KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

mkdir -p "$CACHE_DIR" "$GOCACHE"
command -v go >/dev/null || die "go is not installed"

# run_logged NAME LOGFILE COMMAND...: runs a long compile with its output in LOGFILE and a
# progress line every 60 s, so a cold build is never silent for long.
run_logged() {
  local name=$1 logfile=$2; shift 2
  local start=$SECONDS rc=0
  log "$name: compiling (log: $logfile)"
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  # Bounded by the compile itself: the loop ends when the compile process does.
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && log "$name: still compiling, $((SECONDS - start))s, $(grep -c . "$logfile" || true) packages so far"
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

have_all() { local d=$1; shift; for b in "$@"; do [ -x "$d/$b" ] || return 1; done; }

# Kubernetes and etcd in one build module: k8s.io/kubernetes cannot be `go install`ed because
# its go.mod replaces the k8s.io/<staging> modules with local paths, so this module requires
# it and replaces each staging module with its published version instead. etcd is the
# version Kubernetes itself requires, so it shares the module graph and compiled packages.
build_kubernetes() {
  local dir="$CACHE_DIR/kubernetes-$KUBE_VERSION"
  local bin="$dir/bin" src="$dir/src"
  if have_all "$bin" "${KUBE_CMDS[@]}" etcd; then
    log "kubernetes $KUBE_VERSION + etcd $ETCD_VERSION: cached in $bin"
    return
  fi
  mkdir -p "$bin" "$src/cmd/etcd"
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')
  [ -f "$gomod" ] || die "could not fetch the go.mod of k8s.io/kubernetes@$KUBE_VERSION"
  local staging
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
    for m in $staging; do echo "	$m => $m $KUBE_STAGING_VERSION"; done
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
  run_logged "kubernetes $KUBE_VERSION + etcd $ETCD_VERSION" "$dir/build.log" \
    bash -c 'cd "$1" && shift && exec "$@"' _ "$src" \
    "${NICE[@]}" go build -v -ldflags "$ldflags" -o "$bin/" "${targets[@]}"
  local etcd_got
  etcd_got=$(cd "$src" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
  [ "$etcd_got" = "$ETCD_VERSION" ] || log "warning: etcd resolved to $etcd_got, not $ETCD_VERSION"
}

# go_install NAME VERSION LDFLAGS PACKAGE@VERSION: modules without replace directives.
go_install() {
  local name=$1 version=$2 ldflags=$3 target=$4 binname=$5
  local dir="$CACHE_DIR/$name-$version"
  if [ -x "$dir/bin/$binname" ]; then log "$name $version: cached in $dir/bin"; return; fi
  mkdir -p "$dir/bin"
  run_logged "$name $version" "$dir/build.log" \
    env GOBIN="$dir/bin" GOFLAGS="-buildvcs=false -trimpath" \
    "${NICE[@]}" go install -v -ldflags "$ldflags" "$target"
}

build_coredns() {
  go_install coredns "$COREDNS_VERSION" "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION" coredns
}
build_metrics_server() {
  go_install metrics-server "$METRICS_SERVER_VERSION" \
    "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION" metrics-server
}
build_helm() {
  go_install helm "$HELM_VERSION" \
    "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=34 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=34" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" helm
}

build_local_path() {
  go_install local-path-provisioner "$LOCAL_PATH_VERSION" "-s -w" \
    "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION" local-path-provisioner
}

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kubernetes coredns metrics-server helm local-path-provisioner cluster-images)
total_start=$SECONDS
for c in "${components[@]}"; do
  case $c in
    kubernetes) build_kubernetes ;;
    coredns) build_coredns ;;
    metrics-server) build_metrics_server ;;
    helm) build_helm ;;
    local-path-provisioner) build_local_path ;;
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
