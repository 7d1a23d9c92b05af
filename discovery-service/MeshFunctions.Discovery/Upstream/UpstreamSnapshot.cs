namespace MeshFunctions.Discovery.Upstream;

/// <summary>The last good answer of one upstream query, and whether upstream is reachable now.</summary>
/// <param name="Result">Last answer upstream gave (null: none yet).</param>
/// <param name="LastSuccess">When upstream last answered.</param>
/// <param name="Failing">The latest attempt failed (answers are last-known-good).</param>
/// <param name="Error">Why the latest attempt failed.</param>
internal sealed record UpstreamSnapshot(UpstreamResult? Result, DateTimeOffset LastSuccess, bool Failing, string? Error);
