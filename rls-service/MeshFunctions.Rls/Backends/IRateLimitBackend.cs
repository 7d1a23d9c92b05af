namespace MeshFunctions.Rls.Backends;

/// <summary>Counter store. One call checks every counter of one ShouldRateLimit request.</summary>
internal interface IRateLimitBackend
{
    /// <summary>Checks <paramref name="checks"/> at <paramref name="nowMs"/> (Unix ms) and writes one result per check.</summary>
    ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken);
}
