#!/usr/bin/env bash
# npm test: static checks, build, unit and component tests, then the integration tests on the real
# network (started here when it is not running, and stopped again if this script started it).
# Ends with one line "tests: N passed, N failed, N skipped" over every suite.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: npm test [-- --unit-only]
  --unit-only   skip the integration tests (no Fabric network needed)
USAGE
}

unit_only=false
for arg in "$@"; do
  case "$arg" in
    --unit-only) unit_only=true ;;
    -h | --help) usage; exit 0 ;;
    *) echo "Unknown option: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
summary_dir="$root/.test-summary"
mkdir -p "$summary_dir"
export ADRECON_TEST_SUMMARY="$summary_dir/results.jsonl"
: >"$ADRECON_TEST_SUMMARY"

step() { printf '\n== %s\n' "$*"; }
status=0

step "lint (eslint, shellcheck)"
npm run --silent lint
step "format check (prettier)"
npm run --silent format:check
step "build (tsc -b)"
npm run --silent build

run_suite() {
  local name=$1 workspace=$2 script=$3
  step "$name"
  if ! ADRECON_TEST_SUITE="$name" npm run --silent "$script" --workspace "$workspace"; then
    status=1
  fi
}

for ws in merkle contract chaincode gateway; do
  if node -e "process.exit(require('./$ws/package.json').scripts?.['test:unit'] ? 0 : 1)" 2>/dev/null; then
    run_suite "$ws unit" "$ws" test:unit
  fi
done

step "network scripts unit"
if ! ADRECON_TEST_SUITE="network scripts unit" npx mocha --no-config --reporter tools/mocha-summary-reporter.cjs \
  'test-network-scripts/test/*.test.mjs'; then
  status=1
fi

if [[ $unit_only == false ]]; then
  if ! bash test-network-scripts/network-status.sh --quiet; then
    step "starting the Fabric network for the integration tests"
    # Whatever happens next, the network this run started is stopped again.
    trap 'step "stopping the network this run started"; bash test-network-scripts/network-down.sh' EXIT
    bash test-network-scripts/network-up.sh
  fi
  step "deploying the chaincode"
  bash test-network-scripts/deploy-chaincode.sh
  run_suite "integration" integration test:integration
fi

node tools/test-summary.cjs "$ADRECON_TEST_SUMMARY" || status=1
exit "$status"
