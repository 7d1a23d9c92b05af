using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// <c>request.object</c> or <c>request.oldObject</c> of a review: the object's bytes (already checked by
/// <see cref="AdmissionReviewReader"/>: valid JSON, depth, no duplicate member names), parsed only when a rule reads it.
/// A rule that reads a few fields in one pass uses <see cref="Utf8"/>; one that reads a document uses <see cref="Element"/>;
/// one that edits the object uses <see cref="Node"/>. The endpoint's objects borrow the request's pooled body: their
/// <see cref="Utf8"/> is valid only while the request is being answered, and <see cref="Element"/>/<see cref="Node"/>
/// parse a private copy first, so a parsed object may outlive the request.
/// </summary>
internal sealed class ReviewObject
{
    private readonly int _maxDepth;
    private readonly ReadOnlyMemory<byte> _utf8;
    private JsonElement? _element;
    private JsonObject? _node;

    /// <summary>An object over <paramref name="utf8"/>, which may be borrowed from a pool until the request is answered.</summary>
    public ReviewObject(ReadOnlyMemory<byte> utf8, int maxDepth)
    {
        _utf8 = utf8;
        _maxDepth = maxDepth;
    }

    /// <summary>The object as UTF-8 JSON (for a borrowed object: only while the request is being answered).</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8.Span;

    /// <summary>The parsed object, read-only.</summary>
    public JsonElement Element => _element ??= Parse();

    /// <summary>The object as a node tree over <see cref="Element"/>, materialised as far as a rule reads or writes into it.</summary>
    public JsonObject Node => _node ??= JsonObject.Create(Element)!;

    private JsonElement Parse()
    {
        // ParseValue copies the value into a document of its own that needs no disposal (JsonDocument.Parse rents
        // pooled buffers that only Dispose returns, and nothing disposes a rule's element), so the element never
        // points into the pooled body either.
        var reader = new Utf8JsonReader(_utf8.Span, new JsonReaderOptions { MaxDepth = _maxDepth });
        return JsonElement.ParseValue(ref reader);
    }
}
