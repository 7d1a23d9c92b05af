#!/usr/bin/env bash
# Webhook load driver: in one run, on one Kestrel TLS listener (HTTP/2 over TLS, h2load from Debian nghttp2-client),
# an EMPTY handler (/empty: reads the body, answers a fixed AdmissionReview) and the real webhooks:
# pod mutation (/mutate/workloads) and VirtualService validation (/validate/subsets, cache of COUNT VS + COUNT DR).
# Prints peak req/s, the ratio to the empty handler with the same body, and p50/p99 at half of each peak (paced).
# Also prints the managed memory of the synced cache (COUNT VirtualServices + COUNT DestinationRules).
# Usage: bash tests/bench/webhooks/run.sh   (COUNT=10000 WARMUP=5 DURATION=10 LATENCY_DURATION=6 CONNS=8 STREAMS=16 PORT=18443)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MF_ARTIFACTS=${MF_ARTIFACTS:-/tmp/mf-wh-bench}
COUNT=${COUNT:-10000}; WARMUP=${WARMUP:-5}; DURATION=${DURATION:-10}; LATENCY_DURATION=${LATENCY_DURATION:-6}
CONNS=${CONNS:-8}; STREAMS=${STREAMS:-16}; PORT=${PORT:-18443}
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
measure() { # name path body
  local name=$1 path=$2 body=$3 out rps per_client lat
  h2 -D "$WARMUP" -c "$CONNS" -m "$STREAMS" -d "$body" "$url$path" >/dev/null
  out=$(h2 -D "$DURATION" -c "$CONNS" -m "$STREAMS" -d "$body" "$url$path")
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' <<<"$out")
  per_client=$(python3 -c "print(max(1, int($rps / 2 / $CONNS)))")
  h2 -D "$LATENCY_DURATION" -c "$CONNS" -m 1 --rps="$per_client" --log-file="$work/$name.log" -d "$body" "$url$path" >/dev/null
  lat=$(python3 -c "
import statistics
d=sorted(int(l.split()[2]) for l in open('$work/$name.log') if l.strip())
print(f'{d[len(d)//2]/1000:.2f} {d[int(len(d)*0.99)-1]/1000:.2f} {len(d)}')")
  echo "$name $rps ${failed:-?} $lat"
}
{
  measure empty-pod /empty "$work/pod.json"
  measure pod-mutation /mutate/workloads "$work/pod.json"
  measure empty-vs /empty "$work/vs.json"
  measure vs-validation /validate/subsets "$work/vs.json"
} | tee "$work/results.txt"
python3 - "$work/results.txt" "$CONNS" "$STREAMS" <<'PY'
import sys
rows=[l.split() for l in open(sys.argv[1]) if l.strip()]
r={x[0]:x for x in rows}
print("| endpoint | req/s (c=%s m=%s) | × empty (same body) | failed | p50 ms @ half peak | p99 ms @ half peak |" % (sys.argv[2], sys.argv[3]))
print("|---|---|---|---|---|---|")
for name, base in [("empty-pod","empty-pod"),("pod-mutation","empty-pod"),("empty-vs","empty-vs"),("vs-validation","empty-vs")]:
    x=r[name]; print(f"| {name} | {float(x[1]):.0f} | {float(x[1])/float(r[base][1]):.2f} | {x[2]} | {x[3]} | {x[4]} |")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
