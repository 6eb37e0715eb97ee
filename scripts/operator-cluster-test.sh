#!/usr/bin/env bash
# The operator's cluster tier: ChatServiceClusterIT installs the operator with the Helm chart into
# the cluster in KUBECONFIG (else the project's own, started when it is not up) with the images
# `make images` loads, and chats through NodePort 30060 on 127.0.0.1 (PARLEY_NODEPORT_HOST to
# use another address of that cluster, e.g. $(minikube ip)). PARLEY_OPERATOR=jar runs the
# operator jar on this machine instead. Needs `make build` first.
set -euo pipefail
cd "$(dirname "$0")/.."

for jar in operator/target/chat-operator.jar chat-client/target/chat-client.jar; do
  [ -f "$jar" ] || { echo "No $jar: run 'make build' first" >&2; exit 1; }
done
if [ -z "${KUBECONFIG:-}" ]; then
  line=$(make -s cluster-up | grep -o 'export KUBECONFIG=.*' | tail -1)
  [ -n "$line" ] || { echo "make cluster-up printed no KUBECONFIG line" >&2; exit 1; }
  eval "$line"
fi
echo "Operator cluster test against $KUBECONFIG"
# make images prints PARLEY_SERVER_IMAGE=..., PARLEY_REDIS_IMAGE=... for what it loaded.
images=$(make -s images | grep -E '^PARLEY_[A-Z]+_IMAGE=' || true)
for name in SERVER REDIS OPERATOR; do
  grep -q "^PARLEY_${name}_IMAGE=" <<<"$images" || { echo "make images printed no PARLEY_${name}_IMAGE line" >&2; exit 1; }
done
while IFS= read -r assignment; do export "${assignment?}"; done <<<"$images"
echo "Images: $PARLEY_SERVER_IMAGE, $PARLEY_REDIS_IMAGE, $PARLEY_OPERATOR_IMAGE"

rm -rf operator/target/failsafe-reports
status=0
mvn -q -B -pl operator -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.failIfNoSpecifiedTests=false -Dit.test=ChatServiceClusterIT \
  -Dparley.nodeport.host="${PARLEY_NODEPORT_HOST:-127.0.0.1}" -Dparley.operator="${PARLEY_OPERATOR:-helm}" || status=$?
report=operator/target/failsafe-reports/dev.parley.operator.cluster.ChatServiceClusterIT.txt
[ -f "$report" ] && sed -n 4p "$report"
[ "$status" -eq 0 ] || echo "Operator log: operator/target/cluster-test/operator.log; test output: operator/target/failsafe-reports/" >&2
exit "$status"
