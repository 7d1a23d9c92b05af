using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// <c>request.object</c> or <c>request.oldObject</c> of a review: the object's bytes (already checked by
/// <see cref="AdmissionReviewReader"/>: valid JSON, depth, no duplicate member names), parsed only when a rule reads it.
/// A rule that reads a few fields in one pass uses <see cref="Utf8"/>; one that reads a document uses <see cref="Element"/>;
/// one that edits the object uses <see cref="Node"/>. The endpoint's objects borrow the request's pooled body and are
/// disposed (with their <see cref="AdmissionRequest"/>) once the answer is written: their <see cref="Utf8"/> and
/// <see cref="Element"/> (a pooled document over the borrowed bytes, no copy) are valid only until then, while
/// <see cref="Node"/> is built over a private copy and may outlive the request. An object that owns its bytes
/// (<see cref="AdmissionReviewReader.Read(ReadOnlySpan{byte}, int)"/>) needs no disposal.
/// </summary>
internal sealed class ReviewObject : IDisposable
{
    private readonly int _maxDepth;
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly bool _borrowed;
    private JsonDocument? _document;
    private JsonElement? _element;
    private JsonObject? _node;
    private bool _disposed;

    /// <summary>
    /// An object over <paramref name="utf8"/>; when <paramref name="borrowed"/>, the bytes belong to a pooled buffer that
    /// stays unchanged until this object is disposed.
    /// </summary>
    public ReviewObject(ReadOnlyMemory<byte> utf8, int maxDepth, bool borrowed)
    {
        _utf8 = utf8;
        _maxDepth = maxDepth;
        _borrowed = borrowed;
    }

    /// <summary>The object as UTF-8 JSON (for a borrowed object: only until it is disposed).</summary>
    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _utf8.Span;
        }
    }

    /// <summary>The parsed object, read-only (for a borrowed object: only until it is disposed).</summary>
    public JsonElement Element => _element ??= Parse();

    /// <summary>The object as a node tree over a private copy, materialised as far as a rule reads or writes into it.</summary>
    public JsonObject Node => _node ??= JsonObject.Create(_borrowed ? Detached() : Element)!;

    /// <summary>Returns a borrowed object's pooled document; its <see cref="Utf8"/> and <see cref="Element"/> are unusable after.</summary>
    public void Dispose()
    {
        _disposed = true;
        _document?.Dispose();
        _document = null;
    }

    private JsonElement Parse()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_borrowed)
        {
            return Detached();
        }

        // Over the borrowed bytes, no copy, one pass; the document's metadata is rented and goes back at Dispose. Names
        // were checked for duplicates by the reader already, so the document does not check them again.
        _document = JsonDocument.Parse(_utf8, new JsonDocumentOptions { MaxDepth = _maxDepth });
        return _document.RootElement;
    }

    private JsonElement Detached()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // ParseValue copies the value into a document of its own that needs no disposal and never points into a pooled
        // buffer, so a node tree over it may outlive the request.
        var reader = new Utf8JsonReader(_utf8.Span, new JsonReaderOptions { MaxDepth = _maxDepth });
        return JsonElement.ParseValue(ref reader);
    }
}
