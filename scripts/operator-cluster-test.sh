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
. scripts/cluster-env.sh
cluster_with_images

rm -rf operator/target/failsafe-reports
status=0
mvn -q -B -pl operator -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.failIfNoSpecifiedTests=false -Dit.test=ChatServiceClusterIT \
  -Dparley.nodeport.host="${PARLEY_NODEPORT_HOST:-127.0.0.1}" -Dparley.operator="${PARLEY_OPERATOR:-helm}" || status=$?
report=operator/target/failsafe-reports/dev.parley.operator.cluster.ChatServiceClusterIT.txt
[ -f "$report" ] && sed -n 4p "$report"
[ "$status" -eq 0 ] || echo "Operator log: operator/target/cluster-test/operator.log; test output: operator/target/failsafe-reports/" >&2
exit "$status"
