#!/usr/bin/env bash
# Runs the whole suite again on Node 24 LTS: installs the `node@24` npm package into a temporary
# prefix, copies the checkout (without node_modules, so native modules build for Node 24's ABI),
# and runs `npm ci` and the tests there with that Node first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/bulwark-node24-XXXXXX)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work/runtime" --no-audit --no-fund --silent node@24 >/dev/null
node24="$work/runtime/node_modules/node/bin"
if [[ ! -x "$node24/node" ]]; then echo "test-node24: node@24 did not install a node binary" >&2; exit 1; fi
# Native modules (better-sqlite3) must compile against Node 24's own headers, which the package
# ships; a user-level npmrc may point node-gyp at the system Node's headers instead.
header_file=$(find "$work/runtime/node_modules" -path '*/include/node/node.h' -print -quit)
if [[ -z "$header_file" ]]; then echo "test-node24: the node@24 package has no include/node/node.h" >&2; exit 1; fi
headers=$(dirname "$(dirname "$(dirname "$header_file")")")
export npm_config_nodedir="$headers"
mkdir "$work/src"
# Tracked and new files as they are in the work tree (a file deleted but not yet committed is skipped).
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  if [[ -e "$file" ]]; then cp --parents "$file" "$work/src/"; fi
done
# What the tests find beside or inside the checkout: ../shared (fixtures) and the real CHP.
repo=$(pwd)
if [[ -d "$repo/../shared" ]]; then ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"; fi
if [[ -d "$repo/.tmp/chp" ]]; then mkdir -p "$work/src/.tmp" && ln -s "$repo/.tmp/chp" "$work/src/.tmp/chp"; fi
cd "$work/src"
export PATH="$node24:$PATH"
echo "test-node24: running on $(node --version)"
npm ci --no-audit --no-fund --silent
node scripts/run-tests.mjs "$@"
