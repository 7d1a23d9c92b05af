namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>Request and list counters (the API server's metrics), for tests and benchmarks that measure read cost.</summary>
public sealed partial class FakeKubernetesApi
{
    /// <summary>
    /// Requests served by verb and resource, and how many objects lists evaluated and returned, since start. Requests
    /// are counted before faults are injected (a failed request counts); <see cref="Seed"/>, <see cref="TryGet"/> and
    /// <see cref="List"/> are not requests (a <see cref="List"/> does add to the evaluated and returned counts).
    /// </summary>
    public KubeApiMetrics Metrics => _store.Metrics();
}
