#!/usr/bin/env bash
# npm run bench: Merkle root throughput (tree format v1 vs batched v2), then the chaincode, REST, batched-commit and
# publisher-pipeline benchmarks, and the reporting store against the chaincode, on the running network (started here
# when it is not running, and stopped again afterwards). Results: docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  echo "Usage: npm run bench   (env: ADRECON_BENCH_CONCURRENCY=10,20,50 ADRECON_BENCH_COUNT=300 ADRECON_BENCH_RECORDS=10000"
  echo "  ADRECON_BENCH_BATCH_SIZES=1,10,100,500 ADRECON_BENCH_BATCH_CONCURRENCY=1,4 ADRECON_BENCH_BATCH_REPORTS=2000"
  echo "  ADRECON_BENCH_PIPELINE=2,6,100,10000,2 ADRECON_BENCH_STORE=10,1000,100,100,3 ADRECON_BENCH_STORE_BUDGET_S=1200"
  echo "  ADRECON_BENCH_ONLY=1,2,3,4,5,6,7;"
  echo "  section 7, the reporting store vs the chaincode at 10,000 periods and 100 month-end campaigns, runs last"
  echo "  (about 9 min on a lightly loaded machine, each phase bounded by the budget); see docs/benchmarks.md)"
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
