#!/usr/bin/env bash
# npm start: build what is missing, start the network, deploy the chaincode, then serve the REST API
# in the foreground (Ctrl-C, or `npm stop` from another terminal, stops it).
set -euo pipefail

usage() {
  cat <<USAGE
Usage: npm start [-- --no-gateway]
  --no-gateway   stop after the network is up and the chaincode is deployed
Environment: PORT (REST API port, default 3000), ADRECON_BASE_PORT (Fabric ports, default 7000).
USAGE
}

gateway=true
for arg in "$@"; do
  case "$arg" in
    --no-gateway) gateway=false ;;
    -h | --help) usage; exit 0 ;;
    *) echo "start: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$SECONDS
step() { printf '\n== [%3d s] %s\n' "$((SECONDS - started))" "$*"; }

if [[ ! -d node_modules ]]; then
  echo "start: node_modules is missing: run npm install first" >&2
  exit 1
fi

step "building the TypeScript workspaces"
npx tsc -b
step "Fabric binaries"
bash test-network-scripts/install-fabric.sh
step "network"
node test-network-scripts/fabric-network.mjs up
step "chaincode"
node test-network-scripts/fabric-network.mjs deploy
step "ready: network and chaincode are up"

if [[ $gateway == false ]]; then
  exit 0
fi

run_dir="$root/network/run"
export ADRECON_NETWORK_PROFILE="${ADRECON_NETWORK_PROFILE:-$run_dir/gateway-profile.json}"
export ADRECON_API_KEYS_FILE="${ADRECON_API_KEYS_FILE:-$run_dir/gateway/api-keys.json}"
node gateway/dist/src/cli/create-demo-credentials.js

# Record the gateway like every other process we start, so `npm stop` can end it by PID.
mkdir -p "$run_dir/pids"
printf '{"name":"gateway","pid":%d,"command":"%s","args":["gateway/dist/src/main.js"],"startedAt":"%s","log":"(foreground)"}\n' \
  "$$" "$(command -v node)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$run_dir/pids/gateway.json"
step "REST API on http://127.0.0.1:${PORT:-3000} (Ctrl-C or npm stop to end it)"
exec node gateway/dist/src/main.js
