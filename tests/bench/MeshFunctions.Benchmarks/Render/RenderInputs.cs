using System.Globalization;
using System.Text;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Benchmarks.Render;

/// <summary>
/// A cluster's worth of input, parsed once: Routers (a mix of HTTP with canary and sandbox, and gRPC) each
/// targeted by five IstioFilters (retries + timeout, mirror to the sandbox, circuit breaking, load balancer,
/// local rate limit), the shape the seed's platform produces.
/// </summary>
internal sealed class RenderInputs
{
    public const int FiltersPerRouter = 5;

    private RenderInputs(IReadOnlyList<(Router Router, IReadOnlyList<IstioFilter> Filters)> routers)
    {
        Routers = routers;
    }

    public IReadOnlyList<(Router Router, IReadOnlyList<IstioFilter> Filters)> Routers { get; }

    public static RenderInputs Create(int routerCount)
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < routerCount; i++)
        {
            AppendService(yaml, i);
        }

        var manifests = ManifestParser.ParseOrThrow(yaml.ToString(), "bench.yaml");
        var filters = manifests.Select(m => m.Resource).OfType<IstioFilter>().ToLookup(f => f.Spec.TargetRef.Name);
        var routers = manifests.Select(m => m.Resource).OfType<Router>()
            .Select(r => (r, (IReadOnlyList<IstioFilter>)filters[r.Metadata.Name].ToList()))
            .ToList();
        if (routers.Count != routerCount || routers.Any(r => r.Item2.Count != FiltersPerRouter))
        {
            throw new InvalidOperationException("benchmark input did not parse as intended");
        }

        return new RenderInputs(routers);
    }

    private static void AppendService(StringBuilder yaml, int i)
    {
        var name = "svc-" + i.ToString("D4", CultureInfo.InvariantCulture);
        var ns = "team-" + (i % 50).ToString(CultureInfo.InvariantCulture);
        var grpc = i % 4 == 0;
        var sandbox = "box-" + (1000 + i).ToString(CultureInfo.InvariantCulture);
        yaml.Append(CultureInfo.InvariantCulture, $"""
            apiVersion: router.service-mesh.zhihu.com/v1
            kind: Router
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              port: {(grpc ? 9000 : 8080)}
              protocol: {(grpc ? "grpc" : "http")}
              subsets:
              - branch: master
                versions:
                  v1.{i % 7}.0: 90
                  v1.{(i % 7) + 1}.0: 10
              - branch: {sandbox}
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: {name}-retries
              namespace: {ns}
            spec:
              targetRef:
                name: {name}
              priority: 10
              retries:
                attempts: 3
                perTryTimeout: 2s
                retryOn: connect-failure,refused-stream
              timeout: 10s
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: {name}-mirror
              namespace: {ns}
            spec:
              targetRef:
                name: {name}
              priority: 20
              selector:
                branches:
                - master
              mirror:
                branch: {sandbox}
                percentage:
                  value: 5
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: {name}-circuit-breaker
              namespace: {ns}
            spec:
              targetRef:
                name: {name}
              priority: 30
              connectionPool:
                tcp:
                  maxConnections: 200
                http:
                  http2MaxRequests: 1000
              outlierDetection:
                consecutive5xxErrors: 5
                interval: 10s
                baseEjectionTime: 30s
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: {name}-lb
              namespace: {ns}
            spec:
              targetRef:
                name: {name}
              priority: 40
              loadBalancer:
                simple: LEAST_REQUEST
            ---
            apiVersion: filter.service-mesh.zhihu.com/v1
            kind: IstioFilter
            metadata:
              name: {name}-local-limit
              namespace: {ns}
            spec:
              targetRef:
                name: {name}
              priority: 50
              selector:
                branches:
                - master
              localRateLimit:
                tokensPerFill: 1000
                fillInterval: 1s
            ---

            """);
    }
}
