#!/usr/bin/env bash
# Prints the path of the Temporal CLI binary used for the local dev server, building it from source
# with `go install` into the cache directory the first time (several minutes, once per machine).
#
# The cache directory is $PROCESSFLOW_CACHE_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/processflow.
# v1.5.1 is the newest CLI release that `go install` accepts: later tags carry a `replace`
# directive in their go.mod.
set -euo pipefail

version="v1.5.1"
cache_dir="${PROCESSFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/processflow}"
bin_dir="$cache_dir/bin"
binary="$bin_dir/temporal"
stamp="$binary.version"

is_current() {
  # A binary without a stamp was built by hand with the same command; adopt it.
  [[ -x "$binary" ]] && { [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" == "$version" ]]; }
}

if is_current; then
  [[ -f "$stamp" ]] || echo "$version" >"$stamp"
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "temporal-cli.sh: Go is not installed, so the Temporal CLI $version cannot be built." >&2
  echo "Install Go 1.25 or newer and run this again, or set TEMPORAL_CLI_PATH to a temporal binary." >&2
  exit 1
fi

mkdir -p "$bin_dir"
log="$cache_dir/temporal-cli-build.log"

# Serialise concurrent first runs (a test run and `npm run stack` started together) where flock exists.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_dir/temporal-cli.lock"
  flock 9
  if is_current; then
    echo "$binary"
    exit 0
  fi
fi

echo "Building the Temporal CLI $version into $bin_dir (several minutes, once); log: $log" >&2
if ! GOBIN="$bin_dir" go install "github.com/temporalio/cli/cmd/temporal@$version" >"$log" 2>&1; then
  echo "temporal-cli.sh: building the Temporal CLI $version failed. Last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi

echo "$version" >"$stamp"
echo "$binary"
