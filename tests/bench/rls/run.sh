#!/usr/bin/env bash
# RLS load driver: measures, in one run on the same server stack (Kestrel + Grpc.AspNetCore, HTTP/2
# cleartext), an EMPTY ShouldRateLimit handler (the bench host tests/bench/rls/MeshFunctions.Rls.BenchHost: the
# service's server stack with an empty handler; not in the product binary), the in-process backend and the
# Redis backend, with h2load (Debian package nghttp2-client). Prints a markdown table with the
# throughput ratios to the baseline, p50/p99 latency at half of each mode's peak, and the CPU time the
# service and redis-server spent per request (all three phases; steadier than req/s on a shared machine).
#
# Then an outage phase: the Redis backend under a paced load (OUTAGE_RPS) while redis-server is killed
# (SIGKILL) and restarted, then hung (SIGSTOP) and resumed; prints the latency of the answers in each phase.
#
# Cluster modes ("cluster", "cluster-unbatched") run the Redis backend against a local 3-master Redis Cluster (one
# replica each, redis-cli --cluster create) started by this script; the "script calls per request" column is every
# EVAL/EVALSHA the Redis side executed (INFO commandstats, summed over the masters) divided by the requests answered.
#
# Usage: bash tests/bench/rls/run.sh   (ROUNDS=3 WARMUP=10 DURATION=10 LATENCY_DURATION=6 CONNS=16 STREAMS=32 DESCRIPTORS=1
#        MODES="empty in-process redis redis-unbatched" OUTAGE=1 OUTAGE_RPS=8000)
#        cluster vs single: MODES="empty redis redis-unbatched cluster cluster-unbatched" DESCRIPTORS=5 OUTAGE=0
# The first mode is the baseline of the ratio column; keep "empty" first. The warm-up is long on purpose: .NET
# tiered compilation needs ~10 s of load on 2 busy cores to reach steady-state code, and the bigger Redis path
# needs it most (with 2 s of warm-up the Redis modes were measured half-jitted).
# Needs: dotnet, h2load, python3, redis-server (MF_REDIS_SERVER or PATH), curl.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${RLS_ROOT:-$(cd "$here/../../.." && pwd)}
export MF_ARTIFACTS=${MF_ARTIFACTS:-/tmp/mf-rls-bench}
DURATION=${DURATION:-10}
LATENCY_DURATION=${LATENCY_DURATION:-6}
WARMUP=${WARMUP:-10}
CONNS=${CONNS:-16}
STREAMS=${STREAMS:-32}
DESCRIPTORS=${DESCRIPTORS:-1}
GRPC_PORT=${GRPC_PORT:-18081}
HTTP_PORT=${HTTP_PORT:-18080}
REDIS_PORT=${REDIS_PORT:-16379}
work=$(mktemp -d /tmp/rls-bench.XXXXXX)
server_pid=""; redis_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 1; }
redis_bin=${MF_REDIS_SERVER:-$(command -v redis-server || true)}
[ -n "$redis_bin" ] || { echo "redis-server missing: apt-get install -y redis-server" >&2; exit 1; }

echo "building (Release)..." >&2
dotnet build -c Release -v q --nologo "$root/tests/bench/rls/MeshFunctions.Rls.BenchHost/MeshFunctions.Rls.BenchHost.csproj" >&2
dll="$MF_ARTIFACTS/bin/MeshFunctions.Rls/release/MeshFunctions.Rls.dll"
baseline_dll="$MF_ARTIFACTS/bin/MeshFunctions.Rls.BenchHost/release/MeshFunctions.Rls.BenchHost.dll"

mkdir -p "$work/config"
cat > "$work/config/bench.yaml" <<'YAML'
domain: bench
descriptors:
  - key: client
    rate_limit: {unit: second, requests_per_unit: 1000000000}
  - key: path
    value: /api/*
    rate_limit: {unit: minute, requests_per_unit: 1000000000}
YAML

# The gRPC request body: 5-byte frame header + RateLimitRequest{domain, descriptors[client=c1, path=/api/x...]}.
# (Descriptor i > 0 gets its own value, so with 5 descriptors the counters spread over the cluster's nodes.)
python3 - "$work/body.bin" "$DESCRIPTORS" <<'PY'
import struct, sys
def field(num, payload): return bytes([num << 3 | 2]) + varint(len(payload)) + payload
def varint(n):
    out = b""
    while True:
        b = n & 0x7f; n >>= 7
        if n: out += bytes([b | 0x80])
        else: return out + bytes([b])
def entry(k, v): return field(1, field(1, k.encode()) + field(2, v.encode()))
msg = field(1, b"bench")
for i in range(int(sys.argv[2])):
    msg += field(2, entry("client", "c%d" % i) if i % 2 == 0 else entry("path", "/api/x%d" % i))
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY

start_redis() {
  "$redis_bin" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT) 2>/dev/null && return 0; sleep 0.1; done
  echo "redis-server did not start on port $REDIS_PORT (taken?)" >&2; exit 1
}
start_redis

# A 3-master Redis Cluster (+1 replica each) on ports CLUSTER_PORT..+5, bus ports +100; only for the cluster modes.
CLUSTER_PORT=${CLUSTER_PORT:-17101}
cluster_pids=()
cluster_nodes=""
start_cluster() {
  local p
  for i in 0 1 2 3 4 5; do
    p=$((CLUSTER_PORT + i)); mkdir -p "$work/cluster/$p"
    "$redis_bin" --port $p --cluster-port $((p + 100)) --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 1000 --dir "$work/cluster/$p" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
    cluster_pids+=($!)
    cluster_nodes="$cluster_nodes${cluster_nodes:+,}127.0.0.1:$p"
  done
  sleep 1
  redis-cli --cluster create ${cluster_nodes//,/ } --cluster-replicas 1 --cluster-yes >"$work/cluster/create.log" 2>&1
  for _ in $(seq 1 100); do
    redis-cli -p "$CLUSTER_PORT" cluster info | grep -q 'cluster_state:ok' && return 0; sleep 0.2
  done
  echo "redis cluster did not become healthy" >&2; exit 1
}
# EVAL/EVALSHA calls executed so far by the single Redis, or by every cluster master.
script_calls() {
  local ports=$REDIS_PORT total=0 n
  [ "$1" = cluster ] && ports=$(seq "$CLUSTER_PORT" $((CLUSTER_PORT + 5)))
  for p in $ports; do
    redis-cli -p "$p" role | head -1 | grep -q master || continue
    n=$(redis-cli -p "$p" info commandstats | sed -n 's/^cmdstat_eval\(sha\)\{0,1\}:calls=\([0-9]*\),.*/\2/p' | paste -sd+ | bc)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
case " ${MODES-} " in *" cluster"*) start_cluster ;; esac
cleanup_cluster() { for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap 'cleanup_cluster; cleanup' EXIT

url="http://127.0.0.1:$GRPC_PORT/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit"
h2() { h2load -H 'content-type: application/grpc' -H 'te: trailers' -d "$work/body.bin" -t 1 "$@" "$url"; }

start_server() {
  local host_dll=$dll
  if [ "${1:-}" = "--baseline" ]; then host_dll=$baseline_dll; shift; fi
  dotnet "$host_dll" --Rls:ConfigDirectory="$work/config" --Rls:GrpcPort=$GRPC_PORT --Rls:HttpPort=$HTTP_PORT \
    --Rls:DebugPort=0 --Rls:LoopbackOnly=true --Logging:LogLevel:Default=Warning \
    --Rls:RedisConfiguration="${REDIS_CONFIGURATION:-127.0.0.1:$REDIS_PORT}" "$@" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server did not become healthy" >&2; cat "$work/server.log" >&2; exit 1
}
# CPU seconds (user + system) a process has used so far: with h2load, the service and redis-server on the
# same cores, CPU per request is a steadier measure of the service's cost than req/s.
cpu_s() { python3 -c "import os,sys; f=open('/proc/%s/stat' % sys.argv[1]).read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))" "$1"; }
done_reqs() { sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p'; }
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

metric() { curl -fs "http://127.0.0.1:$HTTP_PORT/metrics" | sed -n "s/^$1 \([0-9.e+]*\)/\1/p"; }

# Redis histogram totals: call seconds sum, call count, batch calls sum, batch count (zeros without Redis).
redis_calls() {
  curl -fs "http://127.0.0.1:$HTTP_PORT/metrics" | python3 -c "
import sys
m = dict(l.split(' ', 1) for l in sys.stdin if l.startswith('rls_redis_') and ' ' in l)
print(' '.join(str(float(m.get(k, 0))) for k in ('rls_redis_call_duration_seconds_sum', 'rls_redis_call_duration_seconds_count', 'rls_redis_batch_calls_sum', 'rls_redis_batch_calls_count')))"
}

measure() { # name, server args...
  local name=$1; shift
  local target=single
  case $name in cluster*) target=cluster ;; esac
  start_server "$@"
  local scripts0; scripts0=$(script_calls "$target")
  local cpu0 rcpu0 warm
  cpu0=$(cpu_s "$server_pid"); rcpu0=$(cpu_s "$redis_pid")
  warm=$(h2 -D "$WARMUP" -c "$CONNS" -m "$STREAMS" | done_reqs)
  local out rps failed
  out=$(h2 -D "$DURATION" -c "$CONNS" -m "$STREAMS")
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' <<<"$out")
  # Half of this mode's peak, one stream per connection, paced: the latency a caller sees below saturation.
  local per_client=$(python3 -c "print(max(1, int($rps / 2 / $CONNS)))")
  rm -f "$work/$name.log"
  local paced redis0 redis1
  redis0=$(redis_calls)
  paced=$(h2 -D "$LATENCY_DURATION" -c "$CONNS" -m 1 --rps="$per_client" --log-file="$work/$name.log" | done_reqs)
  redis1=$(redis_calls)
  local lat
  lat=$(python3 - "$work/$name.log" <<'PY'
import sys
v = sorted(int(l.split("\t")[2]) for l in open(sys.argv[1]) if l.strip() and l.split("\t")[1] == "200")
p = lambda q: v[min(len(v) - 1, int(q * len(v)))] / 1000
print("%.2f %.2f %d" % (p(0.50), p(0.99), len(v)))
PY
)
  local handled redis_errors
  handled=$(metric 'rls_requests_total{code="OK"}')
  local scripts; scripts=$(python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; print('%.2f' % ((a[1]-a[0])/a[2]) if a[2] > 0 else '-')" "$scripts0" "$(script_calls "$target")" "${handled:-0}")
  # Script calls that failed or timed out (their calls got the failure mode, not a counted verdict): must be 0.
  redis_errors=$(metric 'rls_should_rate_limit_error_total{err_type="redis_error"}'); redis_errors=${redis_errors:-0}
  # Microseconds of service and of redis-server CPU per request over warm-up, peak and paced phases.
  local cost
  cost=$(python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; n=a[4]+a[5]+a[6]; print('%.1f %.1f' % ((a[1]-a[0])*1e6/n, (a[3]-a[2])*1e6/n))" \
    "$cpu0" "$(cpu_s "$server_pid")" "$rcpu0" "$(cpu_s "$redis_pid")" "${warm:-0}" "$(done_reqs <<<"$out")" "${paced:-0}")
  stop_server
  # Mean Redis script call in ms and calls per script call during the paced phase ("- -" without Redis).
  local redis_cost
  redis_cost=$(python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; n=a[5]-a[1]; print('%.3f %.1f' % ((a[4]-a[0])*1e3/n, (a[6]-a[2])/(a[7]-a[3])) if n > 0 else '- -')" $redis0 $redis1)
  echo "$name $rps $failed $lat ${handled:-0} $cost $redis_cost ${redis_errors%.*} $scripts"
}

MODES=${MODES-"empty in-process redis redis-unbatched"}
# At peak (512 calls in flight) a call queues for several ms, past the service's 10 ms default RedisTimeout,
# and timed-out calls get the failure mode: fast, but not counted. So that every answer in the throughput
# table is a counted Redis verdict, the peak modes wait up to 1 s; "failed Redis calls" shows it held (0).
PEAK_REDIS_TIMEOUT=${PEAK_REDIS_TIMEOUT:-00:00:01}
ROUNDS=${ROUNDS:-3}
# Modes are interleaved round by round and the median is reported, so a load change on a shared machine
# hits every mode alike instead of skewing the ratios.
: > "$work/results"
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    case $mode in
      empty) r=$(measure empty --baseline) ;;
      in-process) r=$(measure in-process --Rls:Backend=InProcess) ;;
      redis) r=$(measure redis --Rls:Backend=Redis --Rls:RedisTimeout="$PEAK_REDIS_TIMEOUT") ;;
      redis-unbatched) r=$(measure redis-unbatched --Rls:Backend=Redis --Rls:RedisBatching=false --Rls:RedisTimeout="$PEAK_REDIS_TIMEOUT") ;;
      cluster) r=$(REDIS_CONFIGURATION=$cluster_nodes measure cluster --Rls:Backend=Redis --Rls:RedisCluster=true --Rls:RedisTimeout="$PEAK_REDIS_TIMEOUT") ;;
      cluster-unbatched) r=$(REDIS_CONFIGURATION=$cluster_nodes measure cluster-unbatched --Rls:Backend=Redis --Rls:RedisCluster=true --Rls:RedisBatching=false --Rls:RedisTimeout="$PEAK_REDIS_TIMEOUT") ;;
      *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    echo "round $round: $r" >&2
    echo "$r" >> "$work/results"
  done
done

if [ -n "${MODES// /}" ]; then
echo
echo "| mode | req/s (median of $ROUNDS, c=$CONNS m=$STREAMS) | × empty | failed | p50 ms @ half peak | p99 ms @ half peak | paced req/s reached | Redis call ms (mean, paced) | calls per Redis call (paced) | failed Redis calls (all phases) | script calls per request (all phases) | service CPU µs/req | redis CPU µs/req | runs (req/s) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
python3 - "$work/results" "$LATENCY_DURATION" $MODES <<'PY'
import statistics, sys
paced_s = float(sys.argv.pop(2))
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r[0], []).append(r)
base = statistics.median(float(r[1]) for r in by[sys.argv[2]])
for mode in sys.argv[2:]:
    rs = by[mode]
    rps = statistics.median(float(r[1]) for r in rs)
    failed = sum(int(r[2] or 0) for r in rs)
    p50 = statistics.median(float(r[3]) for r in rs)
    p99 = statistics.median(float(r[4]) for r in rs)
    runs = ", ".join(str(int(float(r[1]))) for r in rs)
    svc = statistics.median(float(r[7]) for r in rs)
    red = statistics.median(float(r[8]) for r in rs)
    reached = statistics.median(float(r[5]) for r in rs) / paced_s
    med = lambda i: "–" if rs[0][i] == "-" else "%g" % statistics.median(float(r[i]) for r in rs)
    print(f"| {mode} | {int(rps)} | {rps / base:.2f} | {failed} | {p50:.2f} | {p99:.2f} | {int(reached)} | {med(9)} | {med(10)} | {sum(int(r[11]) for r in rs)} | {med(12)} | {svc:.1f} | {red:.1f} | {runs} |")
PY
echo
echo "descriptors per call: $DESCRIPTORS; warm-up ${WARMUP}s, ${DURATION}s peak + ${LATENCY_DURATION}s paced phase per run; $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load avg at end $(cut -d' ' -f1-3 /proc/loadavg)"
fi

[ "${OUTAGE:-1}" = 1 ] || exit 0
# Outage: paced load on the Redis backend (default settings, failure mode Open). After 3 s redis-server is
# SIGKILLed (connection closed: known down at once) and restarted 3 s later; after 10 s it is SIGSTOPped
# (connection open, no replies: only the timeout and the circuit breaker help) and resumed 3 s later.
OUTAGE_RPS=${OUTAGE_RPS:-8000}
start_server --Rls:Backend=Redis
h2 -D "$WARMUP" -c "$CONNS" -m "$STREAMS" >/dev/null
errors0=$(metric 'rls_should_rate_limit_error_total{err_type="redis_error"}'); errors0=${errors0:-0}
rm -f "$work/outage.log"
h2 -D 17 -c "$CONNS" -m 1 --rps="$((OUTAGE_RPS / CONNS))" --log-file="$work/outage.log" >"$work/outage.out" &
load_pid=$!
now_us() { date +%s%6N; }
sleep 3; t_kill=$(now_us); kill -9 "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
sleep 3; t_restart=$(now_us); start_redis
sleep 4; t_stop=$(now_us); kill -STOP "$redis_pid"
sleep 3; t_cont=$(now_us); kill -CONT "$redis_pid"
wait "$load_pid"
errors1=$(metric 'rls_should_rate_limit_error_total{err_type="redis_error"}'); errors1=${errors1:-0}
stop_server
[ -z "${OUTAGE_LOG:-}" ] || cp "$work/outage.log" "$OUTAGE_LOG"
echo
echo "Outage ($OUTAGE_RPS req/s offered, c=$CONNS m=1; failure mode Open; RedisTimeout and breaker at their defaults):"
echo
python3 - "$work/outage.log" "$t_kill" "$t_restart" "$t_stop" "$t_cont" "$errors0" "$errors1" "$(sed -n 's/^requests: \(.*\)/\1/p' "$work/outage.out")" <<'PY'
import sys
log = sys.argv[1]
marks = [int(x) for x in sys.argv[2:6]]
names = ["healthy", "killed (SIGKILL → restart)", "restarted", "hung (SIGSTOP → SIGCONT)", "resumed"]
phases = {n: [] for n in names}
bad = 0
for line in open(log):
    if not line.strip(): continue
    start, status, dur = line.split("\t")
    if status != "200": bad += 1
    phases[names[sum(1 for m in marks if int(start) >= m)]].append(int(dur) / 1000)
print("| phase | answers | p50 ms | p99 ms | max ms | answers over 5 ms |")
print("|---|---|---|---|---|---|")
for name, v in phases.items():
    v.sort()
    if not v: print(f"| {name} | 0 | | | | |"); continue
    p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    print(f"| {name} | {len(v)} | {p(0.5):.2f} | {p(0.99):.2f} | {v[-1]:.2f} | {sum(1 for x in v if x > 5)} |")
print()
print(f"h2load: {sys.argv[8]}; non-200 answers: {bad}; failed script calls, answered with the failure mode (redis_error metric): {int(float(sys.argv[7]) - float(sys.argv[6]))}")
PY
