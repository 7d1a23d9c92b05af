#!/usr/bin/env bash
# Runs every test project of the solution, the way CI does.
#  - installs redis-server (apt) and Azurite (npm, into .tools/) when they are missing,
#  - starts both on loopback for the run (and stops them afterwards),
#  - points ISTIO_CRDS at Istio's CRD bundle (../shared/istio/crd-all.gen.yaml) when it is there,
#  - prints one closing line: "tests: N passed, M failed".
# Usage: bash eng/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Router]
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tools="$root/.tools"
mkdir -p "$tools" "$root/.ci/work"
log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# --- Redis -------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing redis-server (apt)"
  as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null \
    || log "could not install redis-server: Redis tests will fail, not skip"
fi
export MF_REDIS_SERVER="$(command -v redis-server || true)"
redis_port=${MF_REDIS_PORT:-6379}
started_redis=""
if [ -n "$MF_REDIS_SERVER" ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/$redis_port) 2>/dev/null; then
    "$MF_REDIS_SERVER" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$root/.ci/work/redis.pid" --logfile "$root/.ci/work/redis.log" && started_redis=1
  fi
  export MF_REDIS="127.0.0.1:$redis_port"
fi

# --- Go + sprig (tests/helm-render renders the Helm chart as Helm does; no helm binary here) --------------
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ] \
   || [ ! -d /usr/share/gocode/src/github.com/xeipuuv/gojsonschema ] || [ ! -d /usr/share/gocode/src/sigs.k8s.io/yaml ]; then
  log "installing golang-go + sprig + gojsonschema + sigs.k8s.io/yaml (apt) for the chart tests"
  as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go \
    golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-github-xeipuuv-gojsonschema-dev >/dev/null \
    || log "could not install Go packages: chart tests will fail, not skip"
fi

# --- Azurite (queues) --------------------------------------------------------------------
azurite_bin="$tools/node_modules/.bin/azurite-queue"
if [ ! -x "$azurite_bin" ]; then
  if command -v npm >/dev/null 2>&1; then
    log "installing azurite (npm, into .tools/)"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error azurite@3 >/dev/null 2>&1 \
      || log "could not install azurite: queue tests will fail, not skip"
  else
    log "npm is missing: queue tests will fail, not skip"
  fi
fi
export MF_AZURITE_QUEUE_BIN="$azurite_bin"
queue_port=${MF_AZURITE_QUEUE_PORT:-10001}
azurite_pid=""
if [ -x "$azurite_bin" ] && ! (exec 3<>/dev/tcp/127.0.0.1/$queue_port) 2>/dev/null; then
  "$azurite_bin" --queueHost 127.0.0.1 --queuePort "$queue_port" --inMemoryPersistence --disableTelemetry \
    --skipApiVersionCheck --loose >"$root/.ci/work/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$queue_port) 2>/dev/null && break; sleep 0.2; done
fi
export MF_AZURITE_QUEUE="http://127.0.0.1:$queue_port/devstoreaccount1"

cleanup() {
  [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null
  [ -n "$started_redis" ] && [ -f "$root/.ci/work/redis.pid" ] && kill "$(cat "$root/.ci/work/redis.pid")" 2>/dev/null
  true
}
trap cleanup EXIT

# --- kubectl and Python jsonpatch (webhook tests: real kubectl, an independent RFC 6902 applier) ---
if ! command -v kubectl >/dev/null 2>&1; then
  log "installing kubectl (apt)"
  as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >/dev/null \
    || log "could not install kubectl: kubectl tests will fail, not skip"
fi
if [ -n "${MF_PYTHON:-}" ] && ! "$MF_PYTHON" -c 'import jsonpatch' >/dev/null 2>&1; then
  log "MF_PYTHON=$MF_PYTHON cannot import jsonpatch: looking for one that can"
  unset MF_PYTHON
fi
if [ -z "${MF_PYTHON:-}" ]; then
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import jsonpatch' 2>/dev/null; then export MF_PYTHON="$py"; break; fi
  done
  if [ -z "${MF_PYTHON:-}" ]; then
    log "installing python3-jsonpatch (apt)"
    as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonpatch >/dev/null \
      && export MF_PYTHON=/usr/bin/python3 || log "could not install python3-jsonpatch: webhook patch tests will fail"
  fi
fi
# --- Discovery's real clients: python3-consul and dig (apt), npm consul (into .tools/) --------------
if ! /usr/bin/python3 -c 'import consul' >/dev/null 2>&1 || ! command -v dig >/dev/null 2>&1; then
  log "installing python3-consul and bind9-dnsutils (apt)"
  as_root apt-get update -qq >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-consul bind9-dnsutils >/dev/null \
    || log "could not install python3-consul/bind9-dnsutils: Discovery client tests will fail, not skip"
fi
if [ ! -f "$tools/node_modules/consul/package.json" ] && command -v npm >/dev/null 2>&1; then
  log "installing consul (npm, into .tools/)"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error consul@2 >/dev/null 2>&1 \
    || log "could not install npm consul: Discovery client tests will fail, not skip"
fi
export MF_NODE_CONSUL="$tools/node_modules/consul"

# --- Istio CRDs --------------------------------------------------------------------------
if [ -z "${ISTIO_CRDS:-}" ] && [ -f "$root/../shared/istio/crd-all.gen.yaml" ]; then
  export ISTIO_CRDS="$root/../shared/istio/crd-all.gen.yaml"
fi
[ -n "${ISTIO_CRDS:-}" ] || log "ISTIO_CRDS is not set and ../shared/istio is absent: schema tests will be skipped"

# --- build and test ----------------------------------------------------------------------
out="$root/.ci/work/dotnet-test.log"
dotnet build MeshFunctions.sln -c Release -nologo -clp:ErrorsOnly 2>&1 | tee "$root/.ci/work/build.log"
build_rc=${PIPESTATUS[0]}
if [ "$build_rc" != 0 ]; then
  log "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
dotnet test MeshFunctions.sln -c Release --no-build -nologo --blame-hang-timeout 5m "$@" 2>&1 | tee "$out"
test_rc=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0
while read -r line; do
  f=$(sed -n 's/.*Failed: *\([0-9]*\).*/\1/p' <<<"$line"); p=$(sed -n 's/.*Passed: *\([0-9]*\).*/\1/p' <<<"$line")
  s=$(sed -n 's/.*Skipped: *\([0-9]*\).*/\1/p' <<<"$line")
  failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
done < <(grep -E '^(Passed|Failed)! +- ' "$out")
if [ "$test_rc" != 0 ] && [ "$failed" = 0 ]; then
  failed=1 # a crashed or hung test host counts as a failure
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$test_rc" = 0 ] && [ "$failed" = 0 ]
