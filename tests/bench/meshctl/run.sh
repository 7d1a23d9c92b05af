#!/usr/bin/env bash
# meshctl check and inject on a large file of Deployments: throughput (MB/s of elapsed and of CPU time) and peak
# memory (max RSS) against the input size; baseline: PyYAML's safe_load_all ("just reading the YAML") of a 5 MB file
# of the same Deployments (it is too slow for the whole file).
# Usage: bash tests/bench/meshctl/run.sh [SIZE_MB]   (default 50; needs python3 with PyYAML for the baseline)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
size=${1:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/meshctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet build "$root/cli/MeshFunctions.Cli" -c Release -nologo -clp:ErrorsOnly -v:q
dll=$(dotnet msbuild "$root/cli/MeshFunctions.Cli" -p:Configuration=Release -getProperty:TargetPath)
python3 "$root/tests/bench/meshctl/gen-deployments.py" "$work/deploy.yaml" "$size"
python3 "$root/tests/bench/meshctl/gen-deployments.py" "$work/small.yaml" 5
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure() {
  local name=$1 file=$2; shift 2
  local bytes; bytes=$(stat -c %s "$file")
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" "$file" > "$work/out" 2> "$work/err" || true
  read -r secs user sys kb < "$work/time"
  awk -v n="$name" -v s="$secs" -v c="$(echo "$user + $sys" | bc)" -v kb="$kb" -v b="$bytes" -v o="$(stat -c %s "$work/out")" \
    'BEGIN { printf "%-24s %5.0f MB  %7.2f s (%6.1f MB/s)  cpu %7.2f s (%6.1f MB/s)  peak %6.0f MB (%4.1fx input)  stdout %.0f MB\n", n, b/1048576, s, b/1048576/s, c, b/1048576/c, kb/1024, kb*1024/b, o/1048576 }'
  tail -n 1 "$work/err"
}
measure "meshctl check" "$work/deploy.yaml" env ISTIO_CRDS= dotnet "$dll" check
measure "meshctl inject" "$work/deploy.yaml" env ISTIO_CRDS= dotnet "$dll" inject
if python3 -c 'import yaml' 2>/dev/null; then
  measure "baseline: PyYAML load" "$work/small.yaml" python3 -c 'import sys, yaml; sum(1 for _ in yaml.safe_load_all(open(sys.argv[1])))'
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
