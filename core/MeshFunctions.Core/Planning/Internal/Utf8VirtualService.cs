using System.Text.Json;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// What the subset rules read of a VirtualService, in one forward pass over its UTF-8 JSON (the webhook's reviewed object,
/// straight from the AdmissionReview's bytes: no document, no node tree). Reads exactly what the node-tree walk of
/// <see cref="SubsetReferences"/> reads, with the same tolerance: a member of the wrong type reads as absent. Member names
/// must be unique in every object (the webhook's reader refuses a review with a duplicate); with duplicates the answer is
/// unspecified. Invalid JSON throws <see cref="JsonException"/>.
/// </summary>
internal sealed class Utf8VirtualService
{
    private readonly List<SubsetUse> _uses = [];

    private Utf8VirtualService()
    {
    }

    /// <summary><c>kind</c> when a string.</summary>
    public string? Kind { get; private set; }

    /// <summary><c>apiVersion</c> when a string.</summary>
    public string? ApiVersion { get; private set; }

    /// <summary>True when <c>kind</c> and <c>apiVersion</c> are both present and not null (whatever their type).</summary>
    public bool HasKindAndApiVersion { get; private set; }

    /// <summary><c>metadata.namespace</c> when a string.</summary>
    public string? Namespace { get; private set; }

    /// <summary><c>metadata.name</c> when a string.</summary>
    public string? Name { get; private set; }

    /// <summary>True for a <c>networking.istio.io</c> VirtualService whose <c>spec</c> is an object.</summary>
    public bool IsVirtualServiceWithSpec { get; private set; }

    /// <summary>The subsets the routes name, hosts resolved against the object's namespace, in field order; empty unless <see cref="IsVirtualServiceWithSpec"/>.</summary>
    public IReadOnlyList<SubsetUse> Uses => _uses;

    public static Utf8VirtualService Read(ReadOnlySpan<byte> utf8, string clusterDomain)
    {
        var result = new Utf8VirtualService();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return result;
        }

        bool kindPresent = false, apiVersionPresent = false, specIsObject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kindPresent = reader.TokenType != JsonTokenType.Null;
                result.Kind = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("apiVersion"u8))
            {
                reader.Read();
                apiVersionPresent = reader.TokenType != JsonTokenType.Null;
                result.ApiVersion = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                result.Metadata(ref reader);
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                specIsObject = reader.TokenType == JsonTokenType.StartObject;
                result.Spec(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        result.HasKindAndApiVersion = kindPresent && apiVersionPresent;
        result.IsVirtualServiceWithSpec = specIsObject && result.Kind == "VirtualService"
            && result.ApiVersion is { } apiVersion && apiVersion.StartsWith("networking.istio.io/", StringComparison.Ordinal);
        if (!result.IsVirtualServiceWithSpec)
        {
            result._uses.Clear();
            return result;
        }

        var ns = result.Namespace ?? "default";
        var sorted = true;
        for (var i = 0; i < result._uses.Count; i++)
        {
            var use = result._uses[i];
            result._uses[i] = use with { Host = Istio.MeshHosts.Resolve(use.Host, ns, clusterDomain) };
            sorted &= i == 0 || result._uses[i - 1].CompareTo(use) < 0;
        }

        if (!sorted)
        {
            // Members in another order than the walk's (e.g. tcp before http, mirror before route): field order, as the tree walk.
            result._uses.Sort();
        }

        return result;
    }

    private void Metadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("namespace"u8))
            {
                reader.Read();
                Namespace = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                Name = StringOrSkip(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void Spec(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = reader.ValueTextEquals("http"u8) ? 0 : reader.ValueTextEquals("tcp"u8) ? 1 : reader.ValueTextEquals("tls"u8) ? 2 : -1;
            reader.Read();
            if (kind < 0 || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            for (var route = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; route++)
            {
                Route(ref reader, kind, route);
            }
        }
    }

    private void Route(ref Utf8JsonReader reader, int kind, int route)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var part = reader.ValueTextEquals("route"u8) ? 0 : reader.ValueTextEquals("mirror"u8) ? 1 : reader.ValueTextEquals("mirrors"u8) ? 2 : -1;
            reader.Read();
            if (part == 1)
            {
                Destination(ref reader, kind, route, part, 0);
            }
            else if (part >= 0 && reader.TokenType == JsonTokenType.StartArray)
            {
                for (var item = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; item++)
                {
                    Holder(ref reader, kind, route, part, item);
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>An item of <c>route</c> or <c>mirrors</c>: an object whose <c>destination</c> names the subset.</summary>
    private void Holder(ref Utf8JsonReader reader, int kind, int route, int part, int item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isDestination = reader.ValueTextEquals("destination"u8);
            reader.Read();
            if (isDestination)
            {
                Destination(ref reader, kind, route, part, item);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void Destination(ref Utf8JsonReader reader, int kind, int route, int part, int item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        string? host = null, subset = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("host"u8))
            {
                reader.Read();
                host = StringOrSkip(ref reader);
            }
            else if (reader.ValueTextEquals("subset"u8))
            {
                reader.Read();
                subset = StringOrSkip(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (subset is { Length: > 0 } && host is { Length: > 0 })
        {
            _uses.Add(new SubsetUse(host, subset, kind, route, part, item));
        }
    }

    /// <summary>The string the reader is on, or null after skipping any other value.</summary>
    private static string? StringOrSkip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
