using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Reads and merges the <c>proxy.istio.io/config</c> annotation (a ProxyConfig as JSON or YAML). Fields the user set are
/// kept; only <c>holdApplicationUntilProxyStarts</c> and a missing <c>terminationDrainDuration</c> are written.
/// </summary>
internal static class ProxyConfigAnnotation
{
    public const string HoldField = "holdApplicationUntilProxyStarts";
    public const string DrainField = "terminationDrainDuration";

    /// <summary>The annotation parsed as an object (empty when absent).</summary>
    public static JsonObject Parse(string? value, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        IReadOnlyList<SourceDocument> docs;
        try
        {
            docs = YamlReader.Read(value);
        }
        catch (ManifestException ex)
        {
            throw new AdmissionInputException(path, $"is not valid JSON or YAML ({ex.Diagnostics[0].Message}); fix or remove the annotation");
        }

        if (docs.Count != 1 || docs[0].Root is not JsonObject config)
        {
            throw new AdmissionInputException(path, "must be one ProxyConfig object (JSON or YAML mapping), for example '{\"holdApplicationUntilProxyStarts\": true}'");
        }

        if (config[HoldField] is { } hold && hold.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new AdmissionInputException(path, $"{HoldField} must be true or false");
        }

        return config;
    }

    /// <summary>Seconds of the configured drain, or null when unset.</summary>
    public static int? DrainSeconds(JsonObject config, string path)
    {
        if (config[DrainField] is not { } drain)
        {
            return null;
        }

        return drain is JsonValue v && v.GetValueKind() == JsonValueKind.String && Durations.GoDurationSeconds(v.GetValue<string>()) is { } s
            ? s
            : throw new AdmissionInputException(path, $"{DrainField} must be a duration such as \"5s\" or \"1m30s\", got {drain.ToJsonString()}");
    }
}
