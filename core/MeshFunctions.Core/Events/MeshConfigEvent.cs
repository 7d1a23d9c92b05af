namespace MeshFunctions.Core.Events;

/// <summary>
/// <c>data</c> of <see cref="MeshEventTypes.MeshConfig"/>: the API server admitted a change of one of our
/// resources. The reconciler re-reads live state, so an event for a write that never persisted is a
/// harmless no-op; <see cref="Generation"/> (when known) lets it drop events older than what it applied.
/// </summary>
/// <param name="Kind"><c>Router</c>, <c>IstioFilter</c> or <c>RateLimit</c>.</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Operation">The admission operation: <c>CREATE</c>, <c>UPDATE</c> or <c>DELETE</c>.</param>
/// <param name="Generation">The object's <c>metadata.generation</c> as admitted, if it had one.</param>
public sealed record MeshConfigEvent(
    string Kind,
    string Namespace,
    string Name,
    string Operation,
    long? Generation);
