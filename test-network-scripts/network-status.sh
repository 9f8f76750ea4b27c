#!/usr/bin/env bash
# Shows each node and chaincode server; exits 0 only when every orderer and peer is up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/fabric-network.mjs" status "$@"
