using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// One open watch: filters committed events for its resource, namespace and selectors and queues them as
/// ready-to-write lines. Offered under the store lock, so lines are in resourceVersion order.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;

    public WatchSubscription(KubeResourceType type, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks)
    {
        Type = type;
        Namespace = ns;
        _labels = labels;
        _fields = fields;
        Bookmarks = bookmarks;
    }

    public KubeResourceType Type { get; }

    public string? Namespace { get; }

    public bool Bookmarks { get; }

    /// <summary>True when the stream should end by aborting the connection rather than closing it cleanly.</summary>
    public bool AbortRequested { get; private set; }

    public ChannelReader<string> Lines => _lines.Reader;

    public bool Matches(JsonObject obj) => _labels.Matches(obj) && _fields.Matches(obj);

    /// <summary>Queues <paramref name="e"/> as the server would show it to this watch (selector transitions included).</summary>
    public void Offer(WatchEvent e)
    {
        if (e.Type.Key != Type.Key || (Namespace is not null && e.Namespace != Namespace))
        {
            return;
        }

        var wasIn = e.Before is not null && Matches(e.Before);
        var isIn = Matches(e.After);
        var type = (wasIn, isIn, e.Deleted) switch
        {
            (true, _, true) => "DELETED",
            (false, _, true) => null,
            (false, true, _) => "ADDED",
            (true, true, _) => "MODIFIED",
            (true, false, _) => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            Send(type, e.After);
        }
    }

    public void Send(string type, JsonObject obj) =>
        _lines.Writer.TryWrite("{\"type\":\"" + type + "\",\"object\":" + obj.ToJsonString() + "}");

    public void Bookmark(long resourceVersion, bool initialEventsEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        Send("BOOKMARK", new JsonObject { ["kind"] = Type.Kind, ["apiVersion"] = Type.ApiVersion, ["metadata"] = meta });
    }

    public void Fail(KubeApiException error)
    {
        Send("ERROR", error.ToStatus());
        _lines.Writer.TryComplete();
    }

    public void End(bool abort)
    {
        AbortRequested = abort;
        _lines.Writer.TryComplete();
    }
}
