#!/usr/bin/env bash
# Webhook load driver: in one run, on one Kestrel TLS listener (HTTP/2 over TLS, h2load from Debian nghttp2-client),
# an EMPTY handler (/empty: reads the body, answers an allowed AdmissionReview echoing request.uid) and the real webhooks:
# pod mutation (/mutate/workloads; also the same pod already mutated, "pod-noop": no patch) and VirtualService validation (/validate/subsets, cache of COUNT VS + COUNT DR).
# Prints peak req/s per round (empty and ours interleaved), the median per-round ratio to the empty handler with the same
# body, the bench host's CPU time (user + system) per request in each peak window and its ratio, and p50/p99 at half of
# each median peak (paced).
# Also prints the managed memory of the synced cache (COUNT VirtualServices + COUNT DestinationRules).
# Usage: bash tests/bench/webhooks/run.sh   (COUNT=10000 ROUNDS=3 WARMUP=3 DURATION=6 LATENCY_DURATION=6 CONNS=8 STREAMS=16 PORT=18443)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MF_ARTIFACTS=${MF_ARTIFACTS:-/tmp/mf-wh-bench}
COUNT=${COUNT:-10000}; WARMUP=${WARMUP:-3}; DURATION=${DURATION:-6}; LATENCY_DURATION=${LATENCY_DURATION:-6}
CONNS=${CONNS:-8}; STREAMS=${STREAMS:-16}; PORT=${PORT:-18443}; ROUNDS=${ROUNDS:-3}
work=$(mktemp -d /tmp/wh-bench.XXXXXX); pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 1; }
dotnet build "$here/WebhookBenchHost" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet "$MF_ARTIFACTS/bin/WebhookBenchHost/release/WebhookBenchHost.dll" "$work" "$PORT" "$COUNT" >"$work/host.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q READY "$work/host.log" && break; sleep 1; done
grep READY "$work/host.log" || { cat "$work/host.log"; exit 1; }
url="https://127.0.0.1:$PORT"
h2() { h2load -H 'content-type: application/json' "$@" 2>&1; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the bench host's user + system CPU time, in clock ticks
peak() { # name path body -> "name rps failed server-cpu-us-per-request"
  local name=$1 path=$2 body=$3 out t0 t1 done
  h2 -D "$WARMUP" -c "$CONNS" -m "$STREAMS" -d "$body" "$url$path" >/dev/null
  t0=$(ticks)
  out=$(h2 -D "$DURATION" -c "$CONNS" -m "$STREAMS" -d "$body" "$url$path")
  t1=$(ticks)
  done=$(sed -n 's/^requests: .* \([0-9]*\) done.*/\1/p' <<<"$out")
  echo "$name $(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out") $(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' <<<"$out") $(python3 -c "print(f'{($t1 - $t0) * 1e6 / $(getconf CLK_TCK) / max(1, $done):.1f}')")"
}
latency() { # name path body rps -> "name p50 p99 count" paced at half of rps
  local name=$1 path=$2 body=$3 per_client
  per_client=$(python3 -c "print(max(1, int($4 / 2 / $CONNS)))")
  h2 -D "$LATENCY_DURATION" -c "$CONNS" -m 1 --rps="$per_client" --log-file="$work/$name.log" -d "$body" "$url$path" >/dev/null
  echo "$name $(python3 -c "
d=sorted(int(l.split()[2]) for l in open('$work/$name.log') if l.strip())
print(f'{d[len(d)//2]/1000:.2f} {d[int(len(d)*0.99)-1]/1000:.2f} {len(d)}')")"
}
# ROUNDS rounds, each measuring the empty handler right before ours with the same body, so that both see about the
# same machine load; the ratio reported is the median of the per-round ratios.
for round in $(seq 1 "$ROUNDS"); do
  peak empty-pod /empty "$work/pod.json"
  peak pod-mutation /mutate/workloads "$work/pod.json"
  peak pod-noop /mutate/workloads "$work/pod-mutated.json" # the same pod already mutated: no patch
  peak empty-vs /empty "$work/vs.json"
  peak vs-validation /validate/subsets "$work/vs.json"
  echo "round $round done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done | tee "$work/peaks.txt"
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
for name in empty-pod pod-mutation pod-noop empty-vs vs-validation; do
  case $name in pod-noop) path=/mutate/workloads; body=pod-mutated.json ;; *pod*) path=/mutate/workloads; body=pod.json ;; *) path=/validate/subsets; body=vs.json ;; esac
  case $name in empty-*) path=/empty ;; esac
  latency "$name" "$path" "$work/$body" "$(median $(awk -v n="$name" '$1==n {print $2}' "$work/peaks.txt"))"
done | tee "$work/latency.txt"
python3 - "$work/peaks.txt" "$work/latency.txt" "$CONNS" "$STREAMS" <<'PY'
import statistics, sys
peaks = [l.split() for l in open(sys.argv[1]) if l.strip()]
lat = {x[0]: x for x in (l.split() for l in open(sys.argv[2]) if l.strip())}
by = {}
for x in peaks: by.setdefault(x[0], []).append(x)
rounds = len(by["empty-pod"])
print("| endpoint | req/s per round (c=%s m=%s) | median × empty (per-round ratios) | server CPU µs/request (median) | empty ÷ ours by CPU | failed | p50 ms @ half peak | p99 ms @ half peak |" % (sys.argv[3], sys.argv[4]))
print("|---|---|---|---|---|---|---|---|")
for name, base in [("empty-pod", "empty-pod"), ("pod-mutation", "empty-pod"), ("pod-noop", "empty-pod"), ("empty-vs", "empty-vs"), ("vs-validation", "empty-vs")]:
    rates = [float(x[1]) for x in by[name]]
    ratios = [float(by[name][i][1]) / float(by[base][i][1]) for i in range(rounds)]
    failed = sum(int(x[2]) if len(x) > 2 and x[2].isdigit() else 0 for x in by[name])
    cpu = statistics.median(float(x[3]) for x in by[name])
    cpu_ratio = statistics.median(float(by[base][i][3]) / float(by[name][i][3]) for i in range(rounds))
    print(f"| {name} | {' / '.join(f'{r:.0f}' for r in rates)} | {statistics.median(ratios):.2f} ({', '.join(f'{r:.2f}' for r in ratios)}) | {cpu:.1f} | {cpu_ratio:.2f} | {failed} | {lat[name][1]} | {lat[name][2]} |")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
