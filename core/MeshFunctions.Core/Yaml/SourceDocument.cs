using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Yaml;

/// <summary>
/// One YAML document converted to JSON, with the source position of every field so that a
/// finding about <c>spec.port</c> can be reported as <c>file:line</c>.
/// </summary>
public sealed class SourceDocument
{
    private readonly IReadOnlyDictionary<string, SourceLocation> _locations;

    public SourceDocument(JsonNode? root, string? file, int index, SourceLocation start, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        Root = root;
        File = file;
        Index = index;
        Start = start;
        _locations = locations;
    }

    /// <summary>The document's content; null for an empty document.</summary>
    public JsonNode? Root { get; }

    /// <summary>The file it came from; null for standard input or in-memory text.</summary>
    public string? File { get; }

    /// <summary>Zero-based position of the document in its stream.</summary>
    public int Index { get; }

    /// <summary>Where the document starts.</summary>
    public SourceLocation Start { get; }

    /// <summary>
    /// The location of <paramref name="path"/>, or of its nearest written ancestor when the field is
    /// absent (a missing <c>spec.port</c> is reported at <c>spec</c>).
    /// </summary>
    public SourceLocation Locate(string path)
    {
        var p = path;
        while (true)
        {
            if (_locations.TryGetValue(p, out var location))
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
