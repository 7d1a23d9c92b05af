#!/usr/bin/env bash
# The main job on the embedded samples, no cluster needed: builds meshctl once, then runs
#   render  (Routers + IstioFilters + RateLimits -> Istio objects, RLS config),
#   inject  (what the mutating webhook does to the demo's workloads),
#   check   (cross-object validation; the broken set is expected to fail),
#   plan    (make-before-break steps for a canary and its rollback)
# on infra/samples/. Needs only the .NET SDK. Exits 0 when everything behaved as expected.
# Usage: bash eng/demo.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
samples=infra/samples

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ meshctl %s\n' "$*"; }

step "build meshctl (dotnet build cli/MeshFunctions.Cli -c Release)"
dotnet build cli/MeshFunctions.Cli -c Release -nologo -clp:ErrorsOnly -v:q
dll=$(dotnet msbuild cli/MeshFunctions.Cli -p:Configuration=Release -getProperty:TargetPath)
[ -f "$dll" ] || { echo "meshctl was not built at $dll" >&2; exit 1; }
meshctl() { dotnet "$dll" "$@"; }

out=$(mktemp -d "${TMPDIR:-/tmp}/meshctl-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT
demo=("$samples"/demo) # the demo folder; the broken set (samples/broken) is checked separately below

step "render the seed's Router and RateLimit (the seed's hand-written VirtualService, EnvoyFilter and Sidecar are read and validated)"
show render "$samples/seed"
meshctl render "$samples/seed"

step "render the shop demo into a folder, one file per object, plus the Rate Limit Service config"
show render "${demo[@]}" --out-dir "$out/rendered" --rls-config "$out/rls/config.yaml"
meshctl render "${demo[@]}" --out-dir "$out/rendered" --rls-config "$out/rls/config.yaml"
(cd "$out/rendered" && find . -name '*.yaml' | sort | sed 's|^\./|  |')
echo "--- the patched VirtualService of web (retries, timeout, mirror to the sandbox from IstioFilters):"
cat "$out/rendered/shop/virtualservice-web.yaml"
echo "--- RLS config:"
cat "$out/rls/config.yaml"

step "inject: what the mutating webhook does to the demo's workloads (JSON patches)"
show inject "$samples/demo/namespace.yaml" "$samples/demo/workloads.yaml" --patch --node-pool-locality batch=cn-north-1.cn-north-1b
meshctl inject "$samples/demo/namespace.yaml" "$samples/demo/workloads.yaml" --patch --node-pool-locality batch=cn-north-1.cn-north-1b

step "check the demo (expected: no errors)"
show check "${demo[@]}"
meshctl check "${demo[@]}"

step "check the seed (expected: warnings only, the title service's DestinationRules live elsewhere)"
show check "$samples/seed"
meshctl check "$samples/seed"

step "check the broken set (expected to FAIL: a VirtualService uses a subset its DestinationRule lacks; weights sum to 90)"
show check "$samples/broken"
if meshctl check "$samples/broken"; then
  echo "UNEXPECTED: check passed on the broken set" >&2
  exit 1
else
  echo "(exit $? as expected)"
fi

step "plan the canary: v1.5.0 gets 10% of web (DestinationRule first, wait, then the VirtualService)"
show plan "$samples/plan/routers-before-canary.yaml" "$samples/demo/routers.yaml"
meshctl plan "$samples/plan/routers-before-canary.yaml" "$samples/demo/routers.yaml"

step "plan the rollback (VirtualService first, wait, then the DestinationRule drops the subset)"
show plan "$samples/demo/routers.yaml" "$samples/plan/routers-before-canary.yaml"
meshctl plan "$samples/demo/routers.yaml" "$samples/plan/routers-before-canary.yaml"

step "done: render, inject, check and plan all behaved as expected"
