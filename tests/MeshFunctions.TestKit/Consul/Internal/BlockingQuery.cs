using System.Globalization;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// Consul's blocking-query loop (<c>agent/consul/rpc.go</c>): with <c>?index=N</c> (N &gt; 0) the read is
/// repeated on every change until its index exceeds N or the wait (default 5 m, capped at 10 m, plus up to
/// wait/16 jitter) ends; then the current data is answered with 200, even when nothing changed.
/// </summary>
internal sealed class BlockingQuery
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    private BlockingQuery(ulong minIndex, TimeSpan wait, string consistency)
    {
        MinIndex = minIndex;
        Wait = wait;
        Consistency = consistency;
    }

    public ulong MinIndex { get; }

    public TimeSpan Wait { get; }

    /// <summary>Value of <c>X-Consul-Effective-Consistency</c>: <c>leader</c>, <c>stale</c> or <c>consistent</c>.</summary>
    public string Consistency { get; }

    /// <summary>Parses <c>index</c>, <c>wait</c>, <c>stale</c>/<c>consistent</c>; returns an error answer for bad values.</summary>
    public static ConsulAnswer? TryParse(ConsulQuery query, out BlockingQuery parsed)
    {
        parsed = new BlockingQuery(0, DefaultWait, "leader");
        var wait = DefaultWait;
        if (query.Get("wait") is { } waitText)
        {
            if (!GoDuration.TryParse(waitText, out wait) || wait < TimeSpan.Zero)
            {
                return ConsulAnswer.Error(400, "Invalid wait time");
            }

            wait = wait == TimeSpan.Zero ? DefaultWait : wait > MaxWait ? MaxWait : wait;
        }

        ulong index = 0;
        if (query.Get("index") is { } indexText &&
            !ulong.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return ConsulAnswer.Error(400, "Invalid index");
        }

        var stale = query.Has("stale");
        var consistent = query.Has("consistent");
        if (stale && consistent)
        {
            return ConsulAnswer.Error(400, "Cannot specify ?stale with ?consistent, conflicting semantics.");
        }

        parsed = new BlockingQuery(index, wait, stale ? "stale" : consistent ? "consistent" : "leader");
        return null;
    }

    /// <summary>Runs <paramref name="read"/> until its index passes <see cref="MinIndex"/> or the jittered wait ends.</summary>
    public async Task<ConsulAnswer> RunAsync(ConsulState state, Func<ConsulState, ConsulAnswer> read, TimeProvider time, Action? parked, CancellationToken cancellationToken)
    {
        var (answer, changed) = state.Read(read);
        if (MinIndex == 0)
        {
            return answer;
        }

        var jitterTicks = (long)(Random.Shared.NextDouble() * (Wait.Ticks / 16));
        var deadline = time.GetUtcNow() + Wait + TimeSpan.FromTicks(jitterTicks);
        if ((answer.Index ?? 0) <= MinIndex)
        {
            parked?.Invoke();
        }

        while ((answer.Index ?? 0) <= MinIndex)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await changed.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The wait ended: answer the current data with its (possibly unchanged) index.
            }

            (answer, changed) = state.Read(read);
        }

        return answer;
    }
}
