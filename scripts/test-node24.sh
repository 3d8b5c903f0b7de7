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
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$work/src/"
cd "$work/src"
export PATH="$node24:$PATH"
echo "test-node24: running on $(node --version)"
npm ci --no-audit --no-fund --silent
node scripts/run-tests.mjs "$@"
