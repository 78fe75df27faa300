#!/usr/bin/env bash
# Install what papercat needs, pinned, on a fresh Debian or Ubuntu machine:
# - .venv with the project (pyproject.toml), every package at its version in constraints.txt; `bash setup.sh
#   test` adds the test extras;
# - Node.js and npm from Debian (apt-get), if missing, for the tools published on npm only;
# - node_modules/ from package-lock.json (`npm ci`): Pagefind 1.6, and axe-core for the tests;
# - for `test`, Debian's chromium, which Playwright drives (it never downloads a browser).
set -euo pipefail
cd "$(dirname "$0")"
extras=""
if [ "${1:-}" = "test" ]; then extras="[test]"; fi

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: papercat needs Python 3.11 or newer; python3 is $(python3 -V 2>/dev/null || echo missing)" >&2
  exit 1
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "setup: $* missing, and this machine has no apt-get: install $* with its own package manager, then run" \
         "setup again" >&2
    exit 1
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# A venv made without pip (Debian's python3 without python3-venv) is made again once that is installed.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  if [ -e .venv ]; then echo "setup: .venv has no working pip; making it again" >&2; fi
  rm -rf .venv
  if ! python3 -m venv .venv; then
    echo "setup: installing python3-venv with apt-get, to make .venv" >&2
    rm -rf .venv
    apt_install python3-venv
    python3 -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".${extras}"
if ! command -v npm >/dev/null; then
  echo "setup: installing Node.js and npm with apt-get (Pagefind 1.6 is published on npm)" >&2
  apt_install nodejs npm
fi
# npm ci empties node_modules first: run it only when the lock file changed since the last install.
stamp=node_modules/.papercat-lock.sha256
if [ "$(sha256sum package-lock.json)" != "$(cat "$stamp" 2>/dev/null)" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
fi
if [ -n "$extras" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium with apt-get, for the browser tests" >&2
  apt_install chromium fonts-dejavu-core
fi
