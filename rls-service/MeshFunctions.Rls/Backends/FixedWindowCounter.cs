namespace MeshFunctions.Rls.Backends;

/// <summary>One fixed window of one key; replaced (compare-and-swap) when the window moves on.</summary>
internal sealed class FixedWindowCounter
{
    public FixedWindowCounter(long start) => Start = start;

    public long Start { get; }

    /// <summary>Hits so far; changed only with <see cref="Interlocked"/>.</summary>
    public long Count;
}
