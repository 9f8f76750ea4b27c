#!/usr/bin/env bash
# Stops every process we recorded under network/run/pids. `--clean` also removes ledgers and crypto.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/fabric-network.mjs" down "$@"
