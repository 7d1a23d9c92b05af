using System.Text.Json.Serialization;

namespace MeshFunctions.Core.Resources;

/// <summary>The subset of Kubernetes <c>metadata</c> that MeshFunctions reads.</summary>
public sealed record ObjectMeta
{
    public string Name { get; init; } = string.Empty;

    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public long? Generation { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>Accepted and ignored so that objects read back from a cluster parse.</summary>
    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Other { get; init; }

    /// <summary>The namespace, or <c>default</c> like kubectl when none is written.</summary>
    [JsonIgnore]
    public string NamespaceOrDefault => string.IsNullOrEmpty(Namespace) ? "default" : Namespace;
}
