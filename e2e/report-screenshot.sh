#!/usr/bin/env bash
# Renders an end-to-end report page to report.png next to it, to attach to a CI run or a review.
# Usage: e2e/report-screenshot.sh [report-dir]   (default: e2e/target/report)
#        REPORT_SCREENSHOT_HEIGHT=3600 e2e/report-screenshot.sh ...   (page height in px, default 2400)
set -euo pipefail

# The default is found from this script's place, so it works from the repository root or from e2e/.
dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/target/report}"
page="$dir/index.html"
if [[ ! -f "$page" ]]; then
  echo "no report page at $page: run the end-to-end suite first, or pass the report directory" >&2
  exit 1
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser="$candidate"
    break
  fi
done
if [[ -z "$browser" ]]; then
  echo "chromium is not installed, so no screenshot: install it (Debian: apt-get install chromium)" >&2
  echo "or open $page in a browser" >&2
  exit 2
fi

abs_dir="$(cd "$dir" && pwd)"
# Chromium writes its profile into the home directory; a throwaway one keeps the user's untouched.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# The page is as wide as a laptop screen; long reports need more height than the default.
height="${REPORT_SCREENSHOT_HEIGHT:-2400}"
# --no-sandbox: CI containers run as root, where chromium refuses its sandbox. Its chatter on
# stderr is shown only when it fails.
if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$profile" \
  --window-size="1280,$height" \
  --screenshot="$abs_dir/report.png" \
  "file://$abs_dir/index.html" 2>"$profile/stderr"; then
  cat "$profile/stderr" >&2
  echo "$browser could not render $page" >&2
  exit 1
fi
echo "wrote $abs_dir/report.png"
