#!/usr/bin/env bash
# npm run bench: Merkle root throughput, then the chaincode and REST benchmarks on the running network
# (started here when it is not running, and stopped again afterwards). Results: docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  echo "Usage: npm run bench   (env: ADRECON_BENCH_CONCURRENCY=10,20,50 ADRECON_BENCH_COUNT=300 ADRECON_BENCH_RECORDS=10000)"
  exit 0
fi
npx tsc -b
if ! bash test-network-scripts/network-status.sh --quiet; then
  trap 'bash test-network-scripts/network-down.sh' EXIT
  bash test-network-scripts/network-up.sh
fi
bash test-network-scripts/deploy-chaincode.sh
echo
echo "== Merkle roots (records per root, median of runs)"
node merkle/dist/bench/root-throughput.js
echo
echo "== Fabric"
node integration/dist/bench/run.js
