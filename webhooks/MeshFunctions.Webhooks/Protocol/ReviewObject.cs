using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// <c>request.object</c> or <c>request.oldObject</c> of a review: its own copy of the object's bytes (already checked by
/// <see cref="AdmissionReviewReader"/>: valid JSON, depth, no duplicate member names), parsed only when a rule reads it.
/// A rule that reads a few fields uses <see cref="Element"/>; one that edits the object uses <see cref="Node"/>.
/// </summary>
internal sealed class ReviewObject
{
    private readonly byte[] _utf8;
    private readonly int _maxDepth;
    private JsonElement? _element;
    private JsonObject? _node;

    public ReviewObject(byte[] utf8, int maxDepth)
    {
        _utf8 = utf8;
        _maxDepth = maxDepth;
    }

    /// <summary>The object as UTF-8 JSON.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>The parsed object, read-only.</summary>
    public JsonElement Element => _element ??= JsonDocument.Parse(_utf8, new JsonDocumentOptions { MaxDepth = _maxDepth }).RootElement;

    /// <summary>The object as a node tree over <see cref="Element"/>, materialised as far as a rule reads or writes into it.</summary>
    public JsonObject Node => _node ??= JsonObject.Create(Element)!;
}
