#!/usr/bin/env bash
# `make build`: every module packaged by Maven, tests skipped. Skipped when its outputs are there
# and nothing Maven reads changed since the last build that succeeded, so that a second `make up`
# does not spend a minute of two cores on a build that changes nothing. PARLEY_BUILD=always
# builds anyway (e.g. after a dependency in ~/.m2 changed under the same version).
set -euo pipefail
cd "$(dirname "$0")/.."

# Written when a build starts, kept when it succeeds: whatever changes during a build is newer.
STAMP=target/build-stamp
# What the rest of the project takes from the build: the jars and the images' layers.
OUTPUTS=(chat-server/target/chat-server.jar chat-client/target/chat-client.jar operator/target/chat-operator.jar
  chat-server/target/image operator/target/image)

up_to_date() {
  [ "${PARLEY_BUILD:-}" != always ] && [ -f "$STAMP" ] || return 1
  local out
  for out in "${OUTPUTS[@]}"; do [ -e "$out" ] || return 1; done
  # Folders count too: deleting or renaming a source changes its folder's time.
  [ -z "$(find pom.xml ./*/pom.xml ./*/src/main -newer "$STAMP" -print -quit)" ]
}

if up_to_date; then
  echo "Build up to date: no POM or main source changed since $(date -r "$STAMP" '+%F %T') (PARLEY_BUILD=always builds anyway)"
  exit 0
fi
echo "Building Parley with Maven (usually 30 s to 1 min on 2 cores, 10 to 25 s when nothing changed; the first time some minutes more to fetch dependencies)..."
mkdir -p target
touch "$STAMP.new"
start=$SECONDS
mvn -q package -DskipTests
mv "$STAMP.new" "$STAMP"
echo "Built chat-server/target/chat-server.jar, chat-client/target/chat-client.jar, operator/target/chat-operator.jar in $((SECONDS - start))s"
