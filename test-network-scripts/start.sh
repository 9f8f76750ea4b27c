#!/usr/bin/env bash
# npm start: build what is missing, start the network, deploy the chaincode, then start one REST gateway
# process per organization in the background (`npm stop` stops them with the network).
set -euo pipefail

usage() {
  cat <<USAGE
Usage: npm start [-- --no-gateway]
  --no-gateway   stop after the network is up and the chaincode is deployed
Environment: PORT (REST port base: organization k of network.json listens on PORT + k, default 3000),
             ADRECON_BASE_PORT (Fabric ports, default 7000).
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

step "REST gateways, one per organization"
node test-network-scripts/fabric-network.mjs gateways --port "${PORT:-3000}"
