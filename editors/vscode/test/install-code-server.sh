#!/bin/sh
# Installs code-server (and playwright-core) from npm into $1 for the end-to-end test.
# code-server's postinstall builds VS Code's native modules (needs build-essential, libkrb5-dev,
# libxkbfile-dev) and fetches ripgrep from GitHub, which this network does not reach: the
# @vscode/ripgrep dependency is replaced by a stand-in that ships Debian's rg (package ripgrep).
set -eu
CODE_SERVER_VERSION=4.100.3
dir=$1
mkdir -p "$dir"
cd "$dir"
dir=$(pwd)
if [ -f node_modules/code-server/.specwright-installed ]; then
  exit 0
fi
rm -rf node_modules package.json package-lock.json
npm install --no-audit --no-fund --ignore-scripts --prefix . "code-server@$CODE_SERVER_VERSION" playwright-core@1
stub="$dir/ripgrep-stub"
rm -rf "$stub" && mkdir -p "$stub/lib" "$stub/bin"
cp "$(command -v rg)" "$stub/bin/rg"
printf '{ "name": "@vscode/ripgrep", "version": "1.15.11", "main": "lib/index.js" }\n' > "$stub/package.json"
printf "const path = require('path');\nmodule.exports.rgPath = path.join(__dirname, '../bin/rg');\n" > "$stub/lib/index.js"
cd node_modules/code-server
node -e "
const fs = require('fs');
const p = 'lib/vscode/package.json';
const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
pkg.dependencies['@vscode/ripgrep'] = 'file:$stub';
fs.writeFileSync(p, JSON.stringify(pkg, null, 2));
"
npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" npm_config_unsafe_perm=true npm_config_yes=true sh ./postinstall.sh
# code-server's own native dependency (argon2), skipped by --ignore-scripts above.
(cd "$dir" && npm rebuild argon2)
touch .specwright-installed
