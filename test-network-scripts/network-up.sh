#!/usr/bin/env bash
# Starts the network (building the Fabric binaries first when they are missing). Safe to repeat.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/install-fabric.sh"
exec node "$here/fabric-network.mjs" up "$@"
