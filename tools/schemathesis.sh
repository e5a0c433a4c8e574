#!/usr/bin/env bash
# Schemathesis, the schema-driven API fuzzer of the fault suite (test/faults/schema-fuzzer.fault.ts),
# installed from PyPI into a virtualenv in the cache directory, never into the repository.
# The cache directory is $PROCESSFLOW_CACHE_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/processflow.
set -euo pipefail

version="4.32.5"
cache_dir="${PROCESSFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/processflow}"
venv="$cache_dir/schemathesis-venv"

if [[ -x "$venv/bin/schemathesis" ]] && "$venv/bin/schemathesis" --version | grep -qF "$version"; then
  echo "schemathesis $version in $venv"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || {
  echo "schemathesis.sh: python3 (3.9 or newer, with venv) is needed to install schemathesis" >&2
  exit 1
}
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
echo "schemathesis $version installed in $venv"
