#!/usr/bin/env bash
# Installs what Bulwark needs on Debian 12, then builds it.
#   scripts/setup.sh          the hub's runtime: Debian's jupyterhub (the real single-user server), npm packages, build
#   scripts/setup.sh --test   also the test prerequisites: Chromium, PostgreSQL, python3-packaging, pip, twine
# Debian packages are installed with apt-get when run as root; otherwise the script names what is
# missing and stops, so nothing is silently skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
for arg in "$@"; do
  case "$arg" in
    --test) want_tests=true ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
  esac
done

runtime_packages=(jupyterhub python3-notebook python3-ipykernel util-linux procps)
test_packages=(chromium postgresql python3-packaging python3-pip python3-pip-whl python3-setuptools-whl python3-wheel-whl twine keyutils wrk nginx softhsm2 opensc libengine-pkcs11-openssl gnutls-bin zbar-tools python3-pam)
packages=("${runtime_packages[@]}")
if $want_tests; then packages+=("${test_packages[@]}"); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$package"); fi
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
  echo "setup: Node.js >= 20.19 is required, found $(node --version)" >&2
  exit 1
fi

# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded (about 2 minutes).
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
# The real configurable-http-proxy 5.x, for the conformance suite and the proxy benchmarks; kept
# out of package.json (test/integration/proxy/chp-command.ts names this path).
if $want_tests && [[ ! -x .tmp/chp/node_modules/.bin/configurable-http-proxy ]]; then
  npm install --no-audit --no-fund --prefix .tmp/chp configurable-http-proxy@5
fi
echo "setup: ready ($(node --version))"
