#!/usr/bin/env bash
# What the browser tests need: Debian's Chromium (no browser downloads here) and axe-core.
#   writes nothing when both are present already.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/chromium ]]; then
  echo "browser_deps: installing chromium with apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >&2
fi
AXE_VERSION=4.11.0
axe=.cache/axe-core/node_modules/axe-core/axe.min.js
if [[ ! -f $axe ]] || ! grep -q "\"version\": \"$AXE_VERSION\"" .cache/axe-core/node_modules/axe-core/package.json 2>/dev/null; then
  command -v npm >/dev/null || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >&2; }
  mkdir -p .cache/axe-core
  npm install --silent --no-audit --no-fund --prefix .cache/axe-core "axe-core@$AXE_VERSION" >&2
fi
echo "$PWD/$axe"
