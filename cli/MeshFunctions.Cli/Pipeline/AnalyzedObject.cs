using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// An Istio/Kubernetes object seen by <c>check</c>: written in the input (<see cref="Rendered"/> false), or
/// rendered from a Router or RateLimit of the input. Findings about it are located in <see cref="Source"/>.
/// </summary>
internal sealed record AnalyzedObject(JsonObject Object, Manifest Source, bool Rendered)
{
    public ObjectKey Key => ObjectKey.Of(Object);

    public string Subject => Rendered ? $"{Key} (rendered from {Source.Subject})" : Source.Subject;

    /// <summary>A finding at <paramref name="path"/>: the field's line for written objects, the origin's start for rendered ones.</summary>
    public Diagnostic Finding(Severity severity, string path, string message, string? code = null) => new(severity, path, message)
    {
        Location = Rendered ? Source.Source.Locate("spec") : Source.Source.Locate(path),
        Subject = Subject,
        Code = code,
    };
}
