# Chat checks for the deployment tests, through the real client and the wire protocol; sourced.
# shellcheck shell=bash
CLIENT_JAR=${CLIENT_JAR:-chat-client/target/chat-client.jar}

# chat_send HOST PORT USER [TO] TEXT: sends as USER (password pw-USER-check) and prints the id.
chat_send() {
  local host=$1 port=$2 user=$3; shift 3
  local args=()
  [ $# -eq 2 ] && args+=("$1") && shift
  CHAT_PASSWORD="pw-$user-check" NO_COLOR=1 timeout 60 java -jar "$CLIENT_JAR" "$host" "$port" "$user" "${args[@]}" --send "$1"
}

# history_between HOST PORT USER OTHER: USER logs in (protocol v1, one JSON line) and the server's
# history frame of USER's conversation with OTHER is printed.
history_between() {
  local host=$1 port=$2 user=$3 other=$4
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf '{"type":"hello","user":"%s","password":"pw-%s-check","to":"%s","history":10}\n' "$user" "$user" "$other" >&3
  timeout 10 head -2 <&3 | grep '"type":"history"' || true
  exec 3>&-
}
