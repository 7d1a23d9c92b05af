namespace MeshFunctions.Rls.Backends;

/// <summary>Counter store. One call checks every counter of one ShouldRateLimit request.</summary>
internal interface IRateLimitBackend
{
    /// <summary>Checks <paramref name="checks"/> at <paramref name="nowMs"/> (Unix ms) and writes one result per check.</summary>
    ValueTask CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the first real calls as fast as later ones: connects, loads what the store needs and runs the check path
    /// on throw-away counters. True once that path answered (counted, not the failure mode); false to try again later.
    /// </summary>
    ValueTask<bool> WarmAsync(CancellationToken cancellationToken);
}
