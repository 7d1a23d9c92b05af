namespace MeshFunctions.Core.Events;

/// <summary>
/// <c>data</c> of <see cref="MeshEventTypes.Deploy"/>: a deploy pipeline changed which versions of a service's branch
/// take traffic. <see cref="Sequence"/> numbers one service's deploy events 1, 2, 3, … in the order the pipeline
/// meant them: the reconciler applies each number once and in order (a duplicate or an older number is a no-op, a
/// later number waits for the missing ones for a bounded time). Applying an event only changes the Router; the
/// make-before-break transition to it follows.
/// </summary>
/// <param name="Namespace">Namespace of the service's Router.</param>
/// <param name="Service">The service (the Router's name).</param>
/// <param name="Branch"><c>master</c> (production) or a sandbox branch such as <c>box-1234</c>.</param>
/// <param name="Action">What happened.</param>
/// <param name="Version">The version label value; required except for <see cref="DeployAction.Weighted"/> and a branch delete.</param>
/// <param name="Weights">For <see cref="DeployAction.Weighted"/>: version → weight, summing to 100.</param>
/// <param name="Sequence">Per-service event number, from 1.</param>
/// <param name="Port">The service port, used only to create a Router that does not exist yet.</param>
public sealed record DeployEvent(
    string Namespace,
    string Service,
    string Branch,
    DeployAction Action,
    string? Version,
    IReadOnlyDictionary<string, int>? Weights,
    long Sequence,
    int? Port);
