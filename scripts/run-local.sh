#!/usr/bin/env bash
# Runs Parley on this machine without Kubernetes: a redis-server with AOF and one chat server,
# both in the background, state and logs under .run/. Usage: run-local.sh up|down|status
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_DIR=${RUN_DIR:-$PWD/.run}
REDIS_PORT=${PARLEY_REDIS_PORT:-6399}
CHAT_PORT=${CHAT_PORT:-6000}
CHAT_HTTP_PORT=${CHAT_HTTP_PORT:-8080}
SERVER_JAR=chat-server/target/chat-server.jar
CLIENT_JAR=chat-client/target/chat-client.jar

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "$what did not come up within ${seconds}s" >&2
  return 1
}

up() {
  [ -f "$SERVER_JAR" ] || { echo "No $SERVER_JAR: run 'make build' first" >&2; exit 1; }
  mkdir -p "$RUN_DIR/redis"
  if running "$RUN_DIR/redis.pid"; then
    echo "Redis already running on 127.0.0.1:$REDIS_PORT"
  else
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR/redis" --appendonly yes \
      --auto-aof-rewrite-min-size 256mb \
      --save '' --daemonize no --logfile "$RUN_DIR/redis.log" </dev/null >/dev/null 2>&1 &
    echo $! > "$RUN_DIR/redis.pid"
    wait_for "Redis on port $REDIS_PORT" 10 redis-cli -p "$REDIS_PORT" ping
    echo "Redis running on 127.0.0.1:$REDIS_PORT (data in $RUN_DIR/redis, log $RUN_DIR/redis.log)"
  fi
  if running "$RUN_DIR/server.pid"; then
    echo "Chat server already running on port $CHAT_PORT"
  else
    java -jar "$SERVER_JAR" --port "$CHAT_PORT" --http-port "$CHAT_HTTP_PORT" \
      --redis-url "redis://127.0.0.1:$REDIS_PORT" --node-id local </dev/null >"$RUN_DIR/server.log" 2>&1 &
    echo $! > "$RUN_DIR/server.pid"
    if ! wait_for "The chat server" 30 curl -fsS "http://127.0.0.1:$CHAT_HTTP_PORT/readyz"; then
      tail -n 20 "$RUN_DIR/server.log" >&2
      exit 1
    fi
    echo "Chat server running on port $CHAT_PORT, HTTP on $CHAT_HTTP_PORT (log $RUN_DIR/server.log)"
  fi
  echo
  echo "Chat with:"
  if [ -f "$CLIENT_JAR" ]; then
    echo "  java -jar $CLIENT_JAR localhost $CHAT_PORT alice        # to everyone"
    echo "  java -jar $CLIENT_JAR localhost $CHAT_PORT bob alice    # DMs to alice"
  else
    echo "  printf '%s\n' '{\"type\":\"hello\",\"user\":\"alice\",\"password\":\"pw\"}' | nc localhost $CHAT_PORT"
  fi
  echo "Stop with: make stop"
}

stop() { # pidfile, name
  if running "$1"; then
    local pid; pid=$(cat "$1")
    kill -TERM "$pid"
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "Stopped $2"
  fi
  rm -f "$1"
}

down() {
  stop "$RUN_DIR/server.pid" "the chat server"
  stop "$RUN_DIR/redis.pid" "Redis"
}

status() {
  running "$RUN_DIR/redis.pid" && echo "Redis: running on port $REDIS_PORT" || echo "Redis: stopped"
  running "$RUN_DIR/server.pid" && echo "Chat server: running on port $CHAT_PORT" || echo "Chat server: stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
