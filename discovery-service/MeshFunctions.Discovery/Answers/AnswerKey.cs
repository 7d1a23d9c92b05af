using System.Runtime.CompilerServices;
using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// Which cached answer of an upstream view a per-service read may reuse: the query's shape and the caller pod's state,
/// compared by reference (the cluster caches replace a pod's <see cref="CallerState"/> whenever it changes; null is
/// every caller that is no known pod).
/// </summary>
internal readonly struct AnswerKey(ServiceEndpoint endpoint, string service, bool hasSelectors, bool localDatacenter, CallerState? caller) : IEquatable<AnswerKey>
{
    private readonly ServiceEndpoint _endpoint = endpoint;
    private readonly string _service = service;
    private readonly bool _hasSelectors = hasSelectors;
    private readonly bool _localDatacenter = localDatacenter;
    private readonly CallerState? _caller = caller;

    public bool Equals(AnswerKey other) =>
        ReferenceEquals(_caller, other._caller) && _endpoint == other._endpoint && _hasSelectors == other._hasSelectors
        && _localDatacenter == other._localDatacenter && string.Equals(_service, other._service, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is AnswerKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(_caller), _endpoint, _hasSelectors, _localDatacenter, _service.Length);
}
