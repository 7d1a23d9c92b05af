using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// One YAML document converted to JSON, with the source position of every field so that a
/// finding about <c>spec.port</c> can be reported as <c>file:line</c>. Positions are read on the
/// first <see cref="Locate"/> (valid inputs never pay for them).
/// </summary>
public sealed class SourceDocument
{
    private readonly Lazy<IReadOnlyDictionary<string, SourceLocation>> _locations;

    public SourceDocument(JsonNode? root, string? file, int index, SourceLocation start, Func<IReadOnlyDictionary<string, SourceLocation>> locations)
        : this(root, file, index, start, new Lazy<IReadOnlyDictionary<string, SourceLocation>>(locations), string.Empty)
    {
    }

    private SourceDocument(JsonNode? root, string? file, int index, SourceLocation start, Lazy<IReadOnlyDictionary<string, SourceLocation>> locations, string basePath)
    {
        Root = root;
        File = file;
        Index = index;
        Start = start;
        BasePath = basePath;
        _locations = locations;
    }

    /// <summary>The document's content; null for an empty document. For a <see cref="Scoped"/> view, still the whole document.</summary>
    public JsonNode? Root { get; }

    /// <summary>The file it came from; null for standard input or in-memory text.</summary>
    public string? File { get; }

    /// <summary>Zero-based position of the document in its stream.</summary>
    public int Index { get; }

    /// <summary>Where the document starts.</summary>
    public SourceLocation Start { get; }

    /// <summary>Where the object this view is about sits in the document (<c>items[3]</c> inside a <c>kind: List</c>); empty for the document itself.</summary>
    public string BasePath { get; }

    /// <summary>A view of one object inside this document: paths given to <see cref="Locate"/> are relative to <paramref name="basePath"/>.</summary>
    public SourceDocument Scoped(string basePath) =>
        new(Root, File, Index, Start, _locations, Combine(BasePath, basePath));

    /// <summary>The same positions without the content, for a caller that keeps only part of the object (positions are re-read from the text).</summary>
    public SourceDocument WithoutContent() => new(null, File, Index, Start, _locations, BasePath);

    /// <summary>
    /// The location of <paramref name="path"/>, or of its nearest written ancestor when the field is
    /// absent (a missing <c>spec.port</c> is reported at <c>spec</c>).
    /// </summary>
    public SourceLocation Locate(string path)
    {
        var p = Combine(BasePath, path);
        var locations = _locations.Value;
        while (true)
        {
            if (locations.TryGetValue(p, out var location))
            {
                return location;
            }

            if (p.Length == 0)
            {
                return Start;
            }

            p = Parent(p);
        }
    }

    /// <summary>Attaches this document's location (and file) to each diagnostic.</summary>
    public IReadOnlyList<Diagnostic> Attach(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => d.Location is null ? d with { Location = Locate(d.Path) } : d).ToList();

    private static string Combine(string basePath, string path) =>
        basePath.Length == 0 ? path : path.Length == 0 ? basePath : path[0] == '[' ? basePath + path : basePath + "." + path;

    private static string Parent(string path)
    {
        var end = path.Length - 1;
        if (path[end] == ']')
        {
            var open = path.LastIndexOf('[');
            return open <= 0 ? string.Empty : path[..open];
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? string.Empty : path[..dot];
    }
}
