#!/usr/bin/env bash
# `npm test`: the whole suite, exactly what CI runs. Installs what is missing (scripts/tools.sh),
# type-checks, lints, builds and packages the VSIX, starts one seeded MLflow server per backend
# (SQLite and PostgreSQL) that every test file shares, then runs unit, integration and e2e tests.
# TEST_TIERS="unit integration" runs a subset; extra arguments go to `node --test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

tiers=${TEST_TIERS:-unit integration e2e}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-vscode-test.XXXXXX")
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit $code
}
trap cleanup EXIT INT TERM HUP

echo "== typecheck"
npm run --silent typecheck
echo "== lint (eslint, prettier --check, knip)"
npm run --silent lint
echo "== build + package"
bash scripts/package.sh >"$work/package.log" 2>&1 || { cat "$work/package.log"; exit 1; }
# Tests load the development bundles (with source maps); the VSIX above keeps the production ones.
cp dist/mlflow-vscode.vsix "$work/mlflow-vscode.vsix"
node esbuild.mjs >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
mkdir -p dist && cp "$work/mlflow-vscode.vsix" dist/mlflow-vscode.vsix
export E2E_VSIX="$PWD/dist/mlflow-vscode.vsix"

# One seeded server per backend for the whole run (seeding 1,200 runs once, not per file); both
# start and seed at the same time.
start_server() {
  local backend=$1
  node test/support/mlflowServer.ts start --backend "$backend" --seed --seed-file "$work/$backend-seed.json" >"$work/$backend.out" 2>"$work/$backend.err" &
  pids+=($!)
  echo $! >"$work/$backend.pid"
}
await_server() {
  local backend=$1 upper pid url
  upper=$(echo "$backend" | tr '[:lower:]' '[:upper:]')
  pid=$(cat "$work/$backend.pid")
  local deadline=$((SECONDS + 900))
  until grep -q '^URL=' "$work/$backend.out" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "The $backend MLflow server did not start:" >&2
      tail -40 "$work/$backend.err" >&2
      exit 1
    fi
    sleep 0.5
  done
  url=$(sed -n 's/^URL=//p' "$work/$backend.out" | head -1)
  export "MLFLOW_TEST_${upper}_URL=$url"
  export "MLFLOW_TEST_${upper}_SEED=$work/$backend-seed.json"
  export "MLFLOW_TEST_${upper}_LOG=$(sed -n 's/^LOG=//p' "$work/$backend.out" | head -1)"
  echo "== $backend MLflow server: $url ($(grep -o 'seeded (test) in [0-9.]* s' "$work/$backend.err" | head -1))"
}
backends=(sqlite)
[ "${MLFLOW_TEST_SKIP_POSTGRES:-}" = 1 ] || backends+=(postgres)
if [[ "$tiers" == *integration* || "$tiers" == *e2e* ]]; then
  for b in "${backends[@]}"; do start_server "$b"; done
  for b in "${backends[@]}"; do await_server "$b"; done
fi

files=()
for tier in $tiers; do
  while IFS= read -r f; do files+=("$f"); done < <(find "test/$tier" -name '*.test.ts' | sort)
done
echo "== node --test (${#files[@]} files: $tiers)"
# One file at a time: e2e files each start a code-server and the machine has two cores.
node --test --test-concurrency=1 --test-reporter=spec "$@" "${files[@]}"
