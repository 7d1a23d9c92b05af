using System.Collections.Concurrent;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// Request and list counters, after the API server's own metrics: <c>apiserver_request_total</c> by verb and resource,
/// and per list <c>apiserver_storage_list_evaluated_objects_total</c> (objects the selectors were checked against) and
/// <c>apiserver_storage_list_returned_objects_total</c>.
/// </summary>
internal sealed partial class ObjectStore
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _requests = new();
    private long _listEvaluated;
    private long _listReturned;

    public void CountRequest(string verb, string? plural) =>
        _requests.AddOrUpdate((verb, plural ?? string.Empty), 1, (_, n) => n + 1);

    public KubeApiMetrics Metrics() => new(
        _requests.ToDictionary(p => p.Key, p => p.Value),
        Interlocked.Read(ref _listEvaluated),
        Interlocked.Read(ref _listReturned));

    private void CountList(long evaluated, long returned)
    {
        Interlocked.Add(ref _listEvaluated, evaluated);
        Interlocked.Add(ref _listReturned, returned);
    }
}
