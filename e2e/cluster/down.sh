#!/usr/bin/env bash
# Stops the test cluster and removes everything cluster-up made on the host: processes
# (by their recorded pids), containers and their shims, mounts, network namespaces, the CNI
# bridge, iptables rules, cgroups, host settings, and the runtime state. Safe to run twice.
# The build cache (binaries, images) is kept.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "cluster-down needs root"
down_start=$SECONDS

# stop_pid NAME PID: TERM, then KILL after a bounded wait.
stop_pid() {
  local name=$1 pid=$2
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  log "warning: $name (pid $pid) is still there"
}
stop_component() {
  local pid
  if pid=$(pid_of "$1"); then stop_pid "$1" "$pid"; fi
  rm -f "$RUN_DIR/pids/$1.pid"
}
# term NAME...: asks components to stop without waiting, so that several wind down together.
term() {
  local c pid
  for c in "$@"; do
    if pid=$(pid_of "$c"); then kill -TERM "$pid" 2>/dev/null; fi
  done
}

# The kubelet first, so that it restarts nothing while the containers go.
term kube-proxy kubelet
stop_component kube-proxy
stop_component kubelet

# Containers: kill their tasks through our containerd, remembering each pod sandbox's
# network namespace, then stop containerd and any shim it left (shims outlive containerd).
netns=()
if pid_alive containerd; then
  CTR=(ctr --address "$CONTAINERD_SOCK" -n k8s.io)
  for id in $("${CTR[@]}" containers list -q 2>/dev/null); do
    ns=$("${CTR[@]}" containers info "$id" 2>/dev/null \
      | jq -r '.Spec.linux.namespaces[]? | select(.type=="network") | .path // empty' 2>/dev/null)
    [ -n "$ns" ] && netns+=("$ns")
    timeout 10 "${CTR[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1
  done
  for id in $("${CTR[@]}" containers list -q 2>/dev/null); do
    timeout 10 "${CTR[@]}" tasks delete -f "$id" >/dev/null 2>&1
    timeout 10 "${CTR[@]}" containers delete "$id" >/dev/null 2>&1
  done
fi
stop_component containerd
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" 2>/dev/null); do
  stop_pid containerd-shim "$pid"
done

# The control plane together (each takes seconds to wind down), then etcd under it.
term kube-scheduler kube-controller-manager kube-apiserver
for c in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_component "$c"; done

# Whatever still runs in the kubelet's cgroups is a container process of ours whose runtime
# is gone (containerd killed from outside, say, when a session ends): kill it by pid.
for procs in /sys/fs/cgroup/pids/kubepods /sys/fs/cgroup/memory/kubepods; do
  [ -d "$procs" ] || continue
  for pid in $(find "$procs" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u); do
    kill -KILL "$pid" 2>/dev/null
  done
done
# Pod network namespaces containerd did not get to remove: the ones whose interfaces hold an
# address in our pod CIDR.
pod_prefix=${POD_CIDR%.*.*/*}.
for ns in /var/run/netns/cni-*; do
  [ -e "$ns" ] || continue
  name=$(basename "$ns")
  addrs=$(ip -n "$name" -4 -o addr show 2>/dev/null)
  if [[ $addrs == *" inet $pod_prefix"* ]]; then
    netns+=("$ns")
  fi
done

# Mounts under the cluster's folders (pod volumes, container rootfs, shm), deepest first,
# then the pod network namespaces (their bind mounts keep them, and their veths, alive).
for root in "$STATE_DIR" "$RUN_DIR"; do
  findmnt -rn -o TARGET 2>/dev/null | grep "^$root/" | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: could not unmount $m"
  done
done
for ns in "${netns[@]}"; do
  [ -e "$ns" ] || continue
  umount "$ns" 2>/dev/null || umount -l "$ns" 2>/dev/null
  rm -f "$ns"
done

ip link show "$CNI_BRIDGE" >/dev/null 2>&1 && ip link delete "$CNI_BRIDGE"

# iptables: every rule that mentions a chain of kube-proxy (KUBE-), the CNI plugins (CNI-) or
# ours (PARLEY-), then those chains themselves. Rules of anything else are left alone.
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in filter nat mangle raw; do
    "$ipt" -t "$table" -S >/dev/null 2>&1 || continue
    "$ipt" -t "$table" -S | grep -E '^-A ' | grep -E '(KUBE|CNI|PARLEY)-' | while read -r rule; do
      # A rule inside one of our chains goes with the chain; only unhook the others.
      chain=$(awk '{print $2}' <<<"$rule")
      [[ $chain =~ ^(KUBE|CNI|PARLEY)- ]] && continue
      eval "$ipt -t $table ${rule/-A/-D}" 2>/dev/null
    done
    for chain in $("$ipt" -t "$table" -S | awk '$1=="-N" && $2 ~ /^(KUBE|CNI|PARLEY)-/ {print $2}'); do
      "$ipt" -t "$table" -F "$chain" 2>/dev/null
    done
    for chain in $("$ipt" -t "$table" -S | awk '$1=="-N" && $2 ~ /^(KUBE|CNI|PARLEY)-/ {print $2}'); do
      "$ipt" -t "$table" -X "$chain" 2>/dev/null || log "warning: could not delete $ipt $table $chain"
    done
  done
done

# cgroups the kubelet made (cgroupfs driver), deepest first; each is empty once its
# processes are gone.
for hier in /sys/fs/cgroup/*/; do
  [ -d "$hier/kubepods" ] && find "$hier/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
done

# Host settings, as they were before cluster-up.
if [ -f "$STATE_DIR/saved-host-settings" ]; then
  while read -r kind value; do
    case $kind in
      sysctl) sysctl -qw "$value" 2>/dev/null ;;
    esac
  done <"$STATE_DIR/saved-host-settings"
  prop=$(sed -n 's/^root_propagation=//p' "$STATE_DIR/saved-host-settings")
  case $prop in private) mount --make-rprivate / ;; esac
fi

# The runtime state, volumes included ($STATE_DIR/local-path). Logs are kept for the
# post-mortem, in $LOG_DIR.
if [ -d "$STATE_DIR" ]; then
  find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name 'logs*' -exec rm -rf {} + 2>/dev/null \
    || log "warning: could not remove all of $STATE_DIR"
fi
rm -rf "$RUN_DIR"
rmdir "$(dirname "$RUN_DIR")" 2>/dev/null
log "cluster down in $((SECONDS - down_start))s (logs kept in $LOG_DIR)"
