using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// One parsed object from an input file: always the raw JSON <see cref="Object"/>, plus the typed
/// <see cref="Resource"/> when it is one of MeshFunctions' own kinds.
/// </summary>
public sealed record Manifest(JsonObject Object, IMeshResource? Resource, SourceDocument Source)
{
    public string ApiVersion => (string?)Object["apiVersion"] ?? string.Empty;

    public string Kind => (string?)Object["kind"] ?? string.Empty;

    public string Name => (string?)Object["metadata"]?["name"] ?? string.Empty;

    public string? Namespace => (string?)Object["metadata"]?["namespace"];

    /// <summary><c>Kind namespace/name</c>, the way findings name their subject.</summary>
    public string Subject => $"{Kind} {Namespace ?? "default"}/{Name}";
}
