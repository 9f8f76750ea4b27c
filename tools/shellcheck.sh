#!/usr/bin/env bash
# Runs shellcheck on every shell script we own; installs it from Debian when it is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v shellcheck >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "shellcheck is missing: installing it with apt-get" >&2
    (apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq shellcheck >/dev/null; })
  else
    echo "shellcheck is missing: install it (Debian: apt-get install shellcheck)" >&2
    exit 1
  fi
fi
cd "$root"
mapfile -t scripts < <(git ls-files -co --exclude-standard -- '*.sh' '.ci/run')
shellcheck -x "${scripts[@]}"
