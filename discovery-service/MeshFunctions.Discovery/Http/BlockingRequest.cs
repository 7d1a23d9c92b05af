using System.Globalization;

namespace MeshFunctions.Discovery.Http;

/// <summary>The blocking-query part of a read: <c>index</c>, <c>wait</c> (default 5 m, capped at 10 m) and consistency.</summary>
internal sealed record BlockingRequest(ulong Index, TimeSpan Wait, string Consistency)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>A plain read: no index, the default wait, leader consistency.</summary>
    private static readonly BlockingRequest Plain = new(0, DefaultWait, "leader");

    /// <summary>Parses the parameters; returns Consul's error text for a bad one.</summary>
    public static string? TryParse(ConsulTarget target, out BlockingRequest request)
    {
        request = Plain;
        var wait = DefaultWait;
        if (target.Get("wait") is { } waitText)
        {
            if (!GoDuration.TryParse(waitText, out wait) || wait < TimeSpan.Zero)
            {
                return "Invalid wait time";
            }

            wait = wait == TimeSpan.Zero ? DefaultWait : wait > MaxWait ? MaxWait : wait;
        }

        ulong index = 0;
        if (target.Get("index") is { } indexText && !ulong.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return "Invalid index";
        }

        var stale = target.Has("stale");
        var consistent = target.Has("consistent");
        if (stale && consistent)
        {
            return "Cannot specify ?stale with ?consistent, conflicting semantics.";
        }

        request = index == 0 && wait == DefaultWait && !stale && !consistent ? Plain : new BlockingRequest(index, wait, stale ? "stale" : consistent ? "consistent" : "leader");
        return null;
    }

    /// <summary>The wait plus Consul's jitter of up to wait/16.</summary>
    public TimeSpan WaitWithJitter() => Wait + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * (Wait.Ticks / 16)));
}
