#!/usr/bin/env bash
# npm stop: stops the REST gateway and the network, by the PIDs we recorded. Ledgers are kept;
# `npm run network:down -- --clean` removes them too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec node "$here/fabric-network.mjs" down "$@"
