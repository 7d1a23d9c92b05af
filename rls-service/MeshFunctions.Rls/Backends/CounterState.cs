namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Mutable state of one in-process counter. Fixed windows are counted lock-free through
/// <see cref="Window"/>; sliding windows and token buckets lock the instance (one lock per key).
/// </summary>
internal sealed class CounterState
{
    public long WindowStart { get; set; } = long.MinValue;

    public long Count { get; set; }

    public long PreviousCount { get; set; }

    public double Tokens { get; set; } = double.NaN;

    public long TokensAt { get; set; }

    /// <summary>Unix ms after which nobody can observe this state any more.</summary>
    public long ExpiresAt { get; set; }

    /// <summary>Set when the sweeper dropped it from the map.</summary>
    public volatile bool Removed;

    /// <summary>The current window of a fixed-window counter (lock-free path).</summary>
    public FixedWindowCounter? Window;
}
