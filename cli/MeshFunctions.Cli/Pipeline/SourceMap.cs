using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// Gives findings from core (which knows objects, not files) their <c>file:line</c>: a finding whose subject is
/// an input object is located at its path in that object's document.
/// </summary>
internal sealed class SourceMap
{
    private readonly Dictionary<string, Manifest> _bySubject = new(StringComparer.Ordinal);

    public SourceMap(IEnumerable<Manifest> manifests)
    {
        foreach (var m in manifests)
        {
            _bySubject.TryAdd(m.Subject, m);
        }
    }

    public Manifest? Find(string subject) => _bySubject.GetValueOrDefault(subject);

    /// <summary>Locates <paramref name="diagnostic"/> in <paramref name="origin"/> (or its subject's document) when it has no location yet.</summary>
    public Diagnostic Attach(Diagnostic diagnostic, Manifest? origin = null)
    {
        if (diagnostic.Location is not null)
        {
            return diagnostic;
        }

        var source = diagnostic.Subject is { } s && _bySubject.TryGetValue(s, out var own) ? own : origin;
        if (source is null)
        {
            return diagnostic;
        }

        var located = diagnostic with { Location = source.Source.Locate(diagnostic.Path), Subject = diagnostic.Subject ?? source.Subject };
        return located;
    }

    public IEnumerable<Diagnostic> Attach(IEnumerable<Diagnostic> diagnostics, Manifest? origin = null) =>
        diagnostics.Select(d => Attach(d, origin));
}
