#!/usr/bin/env bash
# meshctl check and inject on a large file of Deployments: throughput (MB/s) and peak memory (max RSS) against the
# input size, with PyYAML's C-less safe_load_all of the same file as a baseline for "just reading the YAML".
# Usage: bash tests/bench/meshctl/run.sh [SIZE_MB]   (default 50; needs python3 with PyYAML for the baseline)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
size=${1:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/meshctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet build "$root/cli/MeshFunctions.Cli" -c Release -nologo -clp:ErrorsOnly -v:q
dll=$(dotnet msbuild "$root/cli/MeshFunctions.Cli" -p:Configuration=Release -getProperty:TargetPath)
python3 "$root/tests/bench/meshctl/gen-deployments.py" "$work/deploy.yaml" "$size"
bytes=$(stat -c %s "$work/deploy.yaml")
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2> "$work/err" || true
  read -r secs kb < "$work/time"
  awk -v n="$name" -v s="$secs" -v kb="$kb" -v b="$bytes" -v o="$(stat -c %s "$work/out")" \
    'BEGIN { printf "%-22s %7.2f s  %6.1f MB/s  peak %7.0f MB  (%.1fx input)  stdout %.0f MB\n", n, s, b/1048576/s, kb/1024, kb*1024/b, o/1048576 }'
  tail -n 1 "$work/err"
}
measure "check" env ISTIO_CRDS= dotnet "$dll" check "$work/deploy.yaml"
measure "inject" env ISTIO_CRDS= dotnet "$dll" inject "$work/deploy.yaml"
if python3 -c 'import yaml' 2>/dev/null; then
  measure "baseline: PyYAML load" python3 -c 'import sys, yaml; sum(1 for _ in yaml.safe_load_all(open(sys.argv[1])))' "$work/deploy.yaml"
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
