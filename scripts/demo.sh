#!/usr/bin/env bash
# `npm run demo`: the extension as a user gets it, in a browser, against a local MLflow server
# with example data. Installs what is missing (scripts/tools.sh), builds and packages the VSIX,
# starts MLflow on an embedded SQLite store seeded with the demo data, then code-server with the
# VSIX installed and examples/ open, and keeps both up until Ctrl-C.
#
#   DEMO_PORT=8080            code-server's port on 127.0.0.1 (fixed, so a bookmark keeps working)
#   DEMO_MLFLOW_PORT=5000     MLflow's port; a free one is used when it is taken
#   DEMO_EXIT_AFTER_READY=1   print the URLs, then stop everything and exit (CI, smoke tests)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

DEMO_PORT=${DEMO_PORT:-8080}
DEMO_MLFLOW_PORT=${DEMO_MLFLOW_PORT:-5000}
say() { printf '[demo] %s\n' "$*" >&2; }

. scripts/tools.sh

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# code-server's port is fixed on purpose: fail early and clearly instead of moving it.
if node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$DEMO_PORT"; then :; else
  say "port $DEMO_PORT is taken; set DEMO_PORT to another port"
  exit 1
fi
mlflow_port=$DEMO_MLFLOW_PORT
if ! node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close())' "$mlflow_port"; then
  mlflow_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  say "port $DEMO_MLFLOW_PORT is taken; MLflow uses $mlflow_port"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-demo.XXXXXX")
pids=()
cleanup() {
  local code=$?
  trap - EXIT INT TERM HUP
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping"
    # Each CLI stops its own process group (code-server, mlflow and their workers) on SIGTERM.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
  rm -rf "$work"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Waits until a background CLI prints KEY=… (or dies); prints the value.
wait_for_line() {
  local key=$1 out=$2 err=$3 pid=$4 what=$5 deadline=$((SECONDS + ${6:-300}))
  until grep -q "^$key=" "$out" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -gt "$deadline" ]; then
      say "$what did not start:"
      tail -40 "$err" >&2
      exit 1
    fi
    sleep 0.2
  done
  sed -n "s/^$key=//p" "$out" | head -1
}

say "building and packaging the VSIX"
bash scripts/package.sh >"$work/package.log" 2>&1 || { cat "$work/package.log" >&2; exit 1; }

say "starting MLflow on 127.0.0.1:$mlflow_port (SQLite, demo data; seeding takes a few minutes)"
# Its progress lines ([mlflow] …, [seed] …) go to the terminal as well as to the log.
node test/support/mlflowServer.ts start --backend sqlite --port "$mlflow_port" --seed --profile demo \
  --seed-file "$work/seed.json" >"$work/mlflow.out" 2> >(tee "$work/mlflow.err" | grep --line-buffered -E '^\[(mlflow|seed)\]' >&2) </dev/null &
pids+=($!)
mlflow_url=$(wait_for_line URL "$work/mlflow.out" "$work/mlflow.err" "${pids[-1]}" "MLflow" 1200)

settings=$(node -e 'console.log(JSON.stringify({
  "mlflow.servers": [{ name: "demo", uri: process.argv[1] }],
  "mlflow.selectedServer": process.argv[1],
  "mlflow.pythonPath": process.argv[2],
  // examples/ sits inside this repository: without it a toast asks to open the parent repo.
  "git.openRepositoryInParentFolders": "never",
}))' "$mlflow_url" "$MLFLOW_VENV/bin/python")

say "starting code-server on 127.0.0.1:$DEMO_PORT"
# The venv first on PATH: `mlflow run` from the code lenses and the terminal find the same MLflow.
PATH="$MLFLOW_VENV/bin:$PATH" node test/support/codeServer.ts start --port "$DEMO_PORT" --workspace "$repo/examples" \
  --settings "$settings" --vsix "$repo/dist/mlflow-vscode.vsix" >"$work/code-server.out" 2>"$work/code-server.err" </dev/null &
pids+=($!)
code_url=$(wait_for_line URL "$work/code-server.out" "$work/code-server.err" "${pids[-1]}" "code-server" 120)

cat <<EOF

  MLflow for VS Code demo is running.

    VS Code (code-server):  $code_url
    MLflow web UI:          $mlflow_url

  The Experiments view (MLflow icon in the activity bar) lists the demo server; open
  wine-quality/MLproject for the language features and the Run entry point lenses.
  Press Ctrl-C to stop.

EOF

if [ "${DEMO_EXIT_AFTER_READY:-}" = 1 ]; then
  # Prove both answer before saying so.
  curl -fsS -o /dev/null "${code_url%%\?*}healthz" && curl -fsS -o /dev/null "$mlflow_url/health"
  say "DEMO_EXIT_AFTER_READY=1: both servers answer; stopping"
  exit 0
fi

# No stdin needed (CI=true, </dev/null): wait on the servers; Ctrl-C lands in the traps above.
set +e
wait -n "${pids[@]}"
say "a server stopped unexpectedly:"
tail -n 20 "$work/mlflow.err" "$work/code-server.err" >&2
exit 1
