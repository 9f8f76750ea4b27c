#!/usr/bin/env bash
# Builds Fabric's peer, orderer, configtxgen, configtxlator and osnadmin with `go install` from the Go module proxy, at
# the commit pinned in fabric-build/go.mod (verified by fabric-build/go.sum), and Fabric CA's
# fabric-ca-server and fabric-ca-client at the release pinned in fabric-build/ca/go.mod, into
# .fabric/bin. Reuses the binaries when the stamp (hash of both pins and the Go version) matches.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: install-fabric.sh [--force]
  Builds the pinned Fabric binaries into .fabric/bin (git-ignored); no-op when already built.
  --force   rebuild even when the stamp matches
USAGE
}

force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-fabric: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$root/test-network-scripts/fabric-build"
bin_dir="$root/.fabric/bin"
stamp_file="$bin_dir/.stamp"
ca_build_dir="$build_dir/ca"
binaries=(peer orderer configtxgen configtxlator osnadmin)
ca_binaries=(fabric-ca-server fabric-ca-client)

fail() { echo "install-fabric: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 ||
  fail "Go is not installed. Fabric is built from source: install Go >= the version in $build_dir/go.mod (https://go.dev/doc/install) and run again."

# The minimum Go is the `go` directive of the pinned module.
need=$(awk '$1 == "go" { print $2; exit }' "$build_dir/go.mod" "$ca_build_dir/go.mod" | sort -V | tail -n1)
have=$(go env GOVERSION | sed 's/^go//')
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }
version_ge "$have" "$need" || fail "Go $have is too old: the pinned Fabric needs Go >= $need."

stamp=$( {
  cat "$build_dir/go.mod" "$build_dir/go.sum" "$build_dir/tools.go"
  cat "$ca_build_dir/go.mod" "$ca_build_dir/go.sum" "$ca_build_dir/tools.go"
  go env GOVERSION
} | sha256sum | cut -d' ' -f1)
all_present=true
for b in "${binaries[@]}" "${ca_binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || all_present=false; done
if [[ $force == false && $all_present == true && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
  echo "install-fabric: Fabric binaries are up to date in ${bin_dir#"$root"/}"
  exit 0
fi

echo "install-fabric: building ${binaries[*]} ${ca_binaries[*]} with $(go env GOVERSION) (cold build: about 3 minutes on 2 cores)"
start=$SECONDS
mkdir -p "$bin_dir"
rm -f "$stamp_file"
pkgs=()
for b in "${binaries[@]}"; do pkgs+=("github.com/hyperledger/fabric/cmd/$b"); done
# -mod=readonly: the pin and its checksums are exactly what is committed; nothing is re-resolved.
if ! (cd "$build_dir" && GOFLAGS="-mod=readonly -buildvcs=false" GOBIN="$bin_dir" go install "${pkgs[@]}"); then
  fail "go install failed (see the error above). If the module proxy refused a module, the pinned Fabric version is not available here: see docs/network.md."
fi
ca_pkgs=()
for b in "${ca_binaries[@]}"; do ca_pkgs+=("github.com/hyperledger/fabric-ca/cmd/$b"); done
# Fabric CA is its own module (fabric-build/ca), so its newer dependencies never change the peer's build.
if ! (cd "$ca_build_dir" && GOFLAGS="-mod=readonly -buildvcs=false" GOBIN="$bin_dir" go install "${ca_pkgs[@]}"); then
  fail "go install of Fabric CA failed (see the error above): see docs/network.md."
fi
echo "$stamp" >"$stamp_file"
echo "install-fabric: built in $((SECONDS - start)) s into ${bin_dir#"$root"/}"
