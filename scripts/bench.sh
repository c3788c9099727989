#!/usr/bin/env bash
# `npm run bench`: starts one MLflow server (SQLite), seeds it once with benchmark-sized data
# (bench/seed_bench.py: 100,000 + 10,000 runs and a 1,000,000-point metric history), then runs
# every bench/*.bench.ts against it. Each prints a table of ratios against a baseline measured in
# the same run. BENCH_ONLY=<substring> runs a subset. The MLproject language-server benchmarks and
# the activation benchmark (NO_SERVER_BENCHES) need no MLflow server: `BENCH_ONLY=mlproject` or
# `BENCH_ONLY=activation` runs them without seeding one. The activation benchmark measures the
# packaged VSIX (made here, before the development build replaces the production bundles).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-vscode-bench.XXXXXX")
pid=""
cleanup() {
  local code=$?
  [ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
  exit $code
}
trap cleanup EXIT INT TERM HUP

NO_SERVER_BENCHES=" bench/mlproject-validation.bench.ts bench/mlproject-scale.bench.ts bench/activation.bench.ts "
selected=()
for f in bench/*.bench.ts; do
  [ -n "${BENCH_ONLY:-}" ] && [[ "$f" != *"$BENCH_ONLY"* ]] && continue
  selected+=("$f")
done
needs_server=0
for f in "${selected[@]}"; do [[ "$NO_SERVER_BENCHES" == *" $f "* ]] || needs_server=1; done

if [[ " ${selected[*]} " == *" bench/activation.bench.ts "* ]] && [ -z "${BENCH_VSIX:-}" ]; then
  bash scripts/package.sh >"$work/package.log" 2>&1 || { cat "$work/package.log"; exit 1; }
  cp dist/mlflow-vscode.vsix "$work/mlflow-vscode.vsix"
  export BENCH_VSIX="$work/mlflow-vscode.vsix"
fi
node esbuild.mjs >/dev/null

if [ "$needs_server" = 1 ]; then
  node test/support/mlflowServer.ts start --backend sqlite >"$work/server.out" 2>"$work/server.err" &
  pid=$!
  until grep -q '^BACKEND_STORE_URI=' "$work/server.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$work/server.err" >&2; exit 1; }
    sleep 0.5
  done
  url=$(sed -n 's/^URL=//p' "$work/server.out")
  db=$(sed -n 's/^BACKEND_STORE_URI=//p' "$work/server.out")
  echo "== seeding $url (a few minutes)"
  MLFLOW_TRACKING_URI="$url" "$MLFLOW_VENV/bin/python" bench/seed_bench.py --db-uri "$db" >"$work/seed.json"
  export BENCH_MLFLOW_URL="$url" BENCH_SEED_FILE="$work/seed.json"
  BENCH_RUN_ID=$(node -p "JSON.parse(require('fs').readFileSync('$work/seed.json','utf8')).history.runId")
  export BENCH_RUN_ID
fi

for f in "${selected[@]}"; do
  echo
  echo "== $f"
  node "$f"
done
