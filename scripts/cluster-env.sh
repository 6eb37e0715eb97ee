# Sourced by the scripts that test on a cluster: the cluster in KUBECONFIG (else the project's
# own, started when it is not up) with the images `make images` loads, exported as
# PARLEY_SERVER_IMAGE, PARLEY_REDIS_IMAGE and PARLEY_OPERATOR_IMAGE.

cluster_with_images() {
  if [ -z "${KUBECONFIG:-}" ]; then
    local line
    line=$(make -s cluster-up | grep -o 'export KUBECONFIG=.*' | tail -1)
    [ -n "$line" ] || { echo "make cluster-up printed no KUBECONFIG line" >&2; return 1; }
    eval "$line"
  fi
  # make images prints PARLEY_SERVER_IMAGE=..., PARLEY_REDIS_IMAGE=... for what it loaded.
  local images name assignment
  images=$(make -s images | grep -E '^PARLEY_[A-Z]+_IMAGE=' || true)
  for name in SERVER REDIS OPERATOR; do
    grep -q "^PARLEY_${name}_IMAGE=" <<<"$images" || { echo "make images printed no PARLEY_${name}_IMAGE line" >&2; return 1; }
  done
  while IFS= read -r assignment; do export "${assignment?}"; done <<<"$images"
  echo "Cluster: $KUBECONFIG; images: $PARLEY_SERVER_IMAGE, $PARLEY_REDIS_IMAGE, $PARLEY_OPERATOR_IMAGE"
}
