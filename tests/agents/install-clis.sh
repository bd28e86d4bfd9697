#!/usr/bin/env bash
# Installs the real agent CLIs the dispatch tests run (Claude Code, Codex, Gemini CLI,
# claude-code-acp), at the versions pinned in tests/agents/clis/package-lock.json, into
# target/agent-clis/. Does nothing when they are there already at those versions.
# Prints the folder holding their executables (node_modules/.bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest=${SPECWRIGHT_AGENT_CLIS:-$root/target/agent-clis}
mkdir -p "$dest"
# Tests that run side by side may both ask for the CLIs: one installs, the other waits.
exec 9>"$dest.lock"
flock 9
if ! cmp -s "$here/clis/package-lock.json" "$dest/package-lock.json" \
   || [ ! -x "$dest/node_modules/.bin/claude" ]; then
  cp "$here/clis/package.json" "$here/clis/package-lock.json" "$dest/"
  # Install scripts stay off (npm's default): each CLI's executable is in its package, and
  # Codex's native binary comes as an optional dependency.
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
echo "$dest/node_modules/.bin"
