#!/usr/bin/env bash
# Runs compose.yaml for real and checks it: Redis and two chat servers come up healthy, two users
# chat through port 6000 on 127.0.0.1, `docker compose down` and `up` again, and the history is
# still there (Redis' append-only file on its named volume). Uses the docker daemon that runs,
# else starts one (and stops it at the end); the images are built from the local Debian bases
# `make images` makes, so no registry is needed. Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
. e2e/cluster/lib.sh
. scripts/chat-check.sh

PROJECT=parley-compose-test
[ -f "$CLIENT_JAR" ] && [ -d chat-server/target/image/lib ] || die "run 'make build' first"

started_dockerd=
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || die "no docker daemon answers"
  start_dockerd
  started_dockerd=1
fi
compose_bin() {
  if [ -x "$COMPOSE_BIN/docker-compose" ]; then echo "$COMPOSE_BIN/docker-compose"; return; fi
  docker compose version >/dev/null 2>&1 || die "no docker compose: run 'make cluster-tools'"
  echo "docker compose"
}
compose() { $(compose_bin) -p "$PROJECT" -f compose.yaml "$@"; }
cleanup() {
  compose down --volumes --timeout 20 >/dev/null 2>&1 || true
  if [ -n "$started_dockerd" ]; then stop_dockerd; fi
}
trap cleanup EXIT

# The local bases: a Debian JRE and a Debian Redis (built, not loaded anywhere).
images=$(IMAGE_LOAD=none IMAGE_BASES=local make -s images | grep -E '^PARLEY_[A-Z]+_IMAGE=')
export REDIS_IMAGE BASE_IMAGE
REDIS_IMAGE=$(sed -n 's/^PARLEY_REDIS_IMAGE=//p' <<<"$images")
BASE_IMAGE="localhost/parley/debian-jre:17-$DEBIAN_SUITE"
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }



compose down --volumes --timeout 20 >/dev/null 2>&1 || true
log "docker compose up (Redis, chat-a, chat-b; builds the server image)"
start=$SECONDS
if compose up -d --build --wait --wait-timeout 120 >"$LOG_DIR/compose-up.log" 2>&1; then
  pass "compose up: Redis and both chat servers healthy in $((SECONDS - start))s"
else
  tail -20 "$LOG_DIR/compose-up.log"; compose logs --tail 20 || true
  fail "compose up"; echo "$passed passed, $failed failed"; exit 1
fi

# Bob logs in once so his name exists; Alice's DM then waits in his history.
chat_send 127.0.0.1 6000 bob "hello, anyone" >/dev/null || true
id=$(chat_send 127.0.0.1 6000 alice bob "stored before the restart" || true)
if [ -n "$id" ]; then pass "alice's DM to bob acknowledged through 127.0.0.1:6000 (id $id)"; else fail "alice's DM"; fi

log "docker compose down (volumes kept) and up again"
compose down --timeout 20 >/dev/null 2>&1
compose up -d --wait --wait-timeout 120 >>"$LOG_DIR/compose-up.log" 2>&1 || fail "compose up again"
history=$(history_between 127.0.0.1 6000 bob alice)
if grep -q '"text":"stored before the restart"' <<<"$history" && grep -q "\"id\":$id" <<<"$history"; then
  pass "after down and up, bob's history still has message $id"
else
  fail "history after restart: got '$history'"
fi

# Replica b serves the same history: two servers, one service.
history_b=$(history_between 127.0.0.1 6001 bob alice)
if grep -q "\"id\":$id" <<<"$history_b"; then pass "replica b (port 6001) has the same history"; else fail "replica b: '$history_b'"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
