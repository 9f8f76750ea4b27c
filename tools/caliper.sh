#!/usr/bin/env bash
# npm run bench:caliper: Hyperledger Caliper (caliper-core and caliper-fabric 0.7.1, peer-gateway connector) against
# the running network (started here when it is not running, and stopped again afterwards), side by side with our own
# raw client: trivial writes, delivery reports, report reads. Caliper's packages live in caliper/ with their own
# lockfile, installed there on first use (npm ci), so the main install stays without them. Results:
# docs/benchmarks.md, "Hyperledger Caliper".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  echo "Usage: npm run bench:caliper   (env: ADRECON_BENCH_CONCURRENCY=10 ADRECON_BENCH_COUNT=300 ADRECON_CALIPER_READS=1000)"
  exit 0
fi
stamp=caliper/node_modules/.adrecon-lock
if ! [[ -f $stamp ]] || ! cmp -s caliper/package-lock.json "$stamp"; then
  echo "installing Hyperledger Caliper into caliper/node_modules (npm ci, once)…"
  # caliper-core 0.7.1 declares Node >= 22; it runs on our Node 20.19+ (docs/benchmarks.md), so engines stay advisory.
  npm ci --prefix caliper --no-audit --no-fund --engine-strict=false --loglevel=error
  cp caliper/package-lock.json "$stamp"
fi
npx tsc -b
if ! bash test-network-scripts/network-status.sh --quiet; then
  trap 'bash test-network-scripts/network-down.sh' EXIT
  bash test-network-scripts/network-up.sh
fi
bash test-network-scripts/deploy-chaincode.sh
node integration/dist/bench/caliper-run.js
