#!/usr/bin/env bash
# Prints one closing line for every JUnit report Maven wrote (unit and integration tests):
# "java: N passed, N failed, N skipped" (the plain closing line CI reads). Exits non-zero when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
reports=(*/target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "java: no test reports found" >&2
  exit 1
fi
# each report's root element carries tests, failures, errors and skipped counts
awk '
  /<testsuite / {
    for (i = 1; i <= NF; i++) {
      if (match($i, /^(tests|failures|errors|skipped)="[0-9]+"/)) {
        split($i, kv, "\""); n[substr($i, 1, index($i, "=") - 1)] += kv[2]
      }
    }
  }
  END {
    failed = n["failures"] + n["errors"]
    printf "java: %d passed, %d failed, %d skipped\n", n["tests"] - failed - n["skipped"], failed, n["skipped"]
  }' "${reports[@]}"
