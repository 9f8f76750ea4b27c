#!/usr/bin/env bash
# Builds the chaincode, packages it for chaincode-as-a-service, starts one chaincode server per
# organization and installs, approves and commits it (a new sequence when the code changed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/fabric-network.mjs" deploy "$@"
