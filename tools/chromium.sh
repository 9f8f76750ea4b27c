#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the dashboard's browser test; installs Debian's chromium
# package when it is missing (no browser download from elsewhere: puppeteer-core drives this executable).
set -euo pipefail
find_chromium() {
  local candidate
  for candidate in "${ADRECON_CHROMIUM:-}" chromium chromium-browser; do
    [[ -n $candidate ]] && command -v "$candidate" 2>/dev/null && return 0
  done
  return 1
}
if ! find_chromium; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium is missing: installing it with apt-get" >&2
    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; })
    find_chromium
  else
    echo "chromium is missing: install it (Debian: apt-get install chromium)" >&2
    exit 1
  fi
fi
