namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// What a <see cref="FakeKubernetesApi"/> has served since start, counted as the API server's metrics count it
/// (see <see cref="FakeKubernetesApi.Metrics"/>). Subtract two snapshots to measure one stretch of work.
/// </summary>
/// <param name="Requests">Requests by audit verb (<c>get</c>, <c>list</c>, <c>watch</c>, <c>patch</c>…) and resource plural (empty for discovery).</param>
/// <param name="ListEvaluatedObjects">Objects the lists' selectors were evaluated against (<c>apiserver_storage_list_evaluated_objects_total</c>).</param>
/// <param name="ListReturnedObjects">Objects the lists returned (<c>apiserver_storage_list_returned_objects_total</c>).</param>
public sealed record KubeApiMetrics(IReadOnlyDictionary<(string Verb, string Resource), long> Requests, long ListEvaluatedObjects, long ListReturnedObjects)
{
    /// <summary>Requests with <paramref name="verb"/> (of <paramref name="resource"/>, or of any resource).</summary>
    public long Count(string verb, string? resource = null) =>
        Requests.Where(r => r.Key.Verb == verb && (resource is null || r.Key.Resource == resource)).Sum(r => r.Value);

    /// <summary>What was served between <paramref name="earlier"/> and this snapshot.</summary>
    public KubeApiMetrics Since(KubeApiMetrics earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var requests = Requests.ToDictionary(r => r.Key, r => r.Value - earlier.Requests.GetValueOrDefault(r.Key));
        return new KubeApiMetrics(requests, ListEvaluatedObjects - earlier.ListEvaluatedObjects, ListReturnedObjects - earlier.ListReturnedObjects);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Requests.Where(r => r.Value != 0).GroupBy(r => r.Key.Verb).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Sum(r => r.Value)}"))
        + $"; list evaluated {ListEvaluatedObjects}, returned {ListReturnedObjects}";
}
