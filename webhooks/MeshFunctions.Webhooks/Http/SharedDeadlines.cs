namespace MeshFunctions.Webhooks.Http;

/// <summary>
/// Per-request deadlines without a cancellation source per request: the requests that start within one tick share one
/// <see cref="CancellationTokenSource"/>, which cancels no earlier than the deadline after the last of them started and at
/// most one tick (a twentieth of the deadline, at most 50 ms) later than the deadline after the first. A request therefore
/// gets between the deadline and the deadline plus one tick. A new source (with its timer) is made at most once per tick,
/// whatever the request rate; reading the current one is a time stamp and a comparison.
/// </summary>
internal sealed class SharedDeadlines
{
    private static readonly TimeSpan MaxTick = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _tick;
    private readonly long _deadlineTimestamps;
    private readonly long _tickTimestamps;
    private readonly Lock _gate = new();
    private volatile Slot? _current;

    /// <summary>Deadlines of <paramref name="deadline"/>, read and armed on <paramref name="time"/>'s clock and timers.</summary>
    public SharedDeadlines(TimeSpan deadline, TimeProvider time)
    {
        _time = time;
        _deadline = deadline;
        _tick = deadline / 20 < MaxTick ? deadline / 20 : MaxTick;
        _deadlineTimestamps = (long)(deadline.TotalSeconds * time.TimestampFrequency);
        _tickTimestamps = (long)(_tick.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How long one source serves new requests.</summary>
    public TimeSpan Tick => _tick;

    /// <summary>A token cancelled between the deadline and the deadline plus one tick from now.</summary>
    public CancellationToken Next()
    {
        var earliest = _time.GetTimestamp() + _deadlineTimestamps;
        if (_current is { } slot && slot.CancelsAt >= earliest)
        {
            return slot.Token;
        }

        lock (_gate)
        {
            if (_current is { } again && again.CancelsAt >= earliest)
            {
                return again.Token;
            }

            // Armed after the time stamp was read, so it fires no earlier than CancelsAt (to the timer's millisecond).
            var source = new CancellationTokenSource(_deadline + _tick, _time);
            var next = new Slot(source.Token, earliest + _tickTimestamps);
            _current = next;
            return next.Token;
        }
    }

    private sealed record Slot(CancellationToken Token, long CancelsAt);
}
