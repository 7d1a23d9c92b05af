using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>Which objects carry pods, and where their pod labels are.</summary>
internal static class Workloads
{
    public static bool IsWorkload(JsonObject obj) => (string?)obj["kind"] switch
    {
        "Pod" or "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "CronJob" => true,
        _ => false,
    };

    /// <summary>The manifest cut down to apiVersion, kind, name and namespace, its positions kept (re-read from the text when a finding needs one).</summary>
    public static Manifest KeyOnly(Manifest manifest)
    {
        var metadata = new JsonObject { ["name"] = manifest.Name };
        if (manifest.Namespace is { } ns)
        {
            metadata["namespace"] = ns;
        }

        var stub = new JsonObject { ["apiVersion"] = manifest.ApiVersion, ["kind"] = manifest.Kind, ["metadata"] = metadata };
        return manifest with { Object = stub, Source = manifest.Source.WithoutContent() };
    }

    /// <summary>Where the pod template is written (<c>spec.template</c>; the object itself for a Pod), to locate findings about the pods.</summary>
    public static string PodTemplatePath(JsonObject obj) => (string?)obj["kind"] switch
    {
        "Pod" => string.Empty,
        "CronJob" => "spec.jobTemplate.spec.template",
        _ => "spec.template",
    };

    /// <summary>The labels the workload's pods get (the pod's own labels for a bare Pod).</summary>
    public static IReadOnlyDictionary<string, string> PodLabels(JsonObject obj)
    {
        // Objects of groups meshctl has no schema for are not shape-checked: any step may be a scalar or a list.
        var template = (string?)obj["kind"] switch
        {
            "Pod" => obj,
            "CronJob" => Child(Child(Child(Child(obj, "spec"), "jobTemplate"), "spec"), "template"),
            _ => Child(Child(obj, "spec"), "template"),
        };
        return StringMap(Child(Child(template, "metadata"), "labels"));
    }

    private static JsonNode? Child(JsonNode? node, string key) => (node as JsonObject)?[key];

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    map[key] = s;
                }
            }
        }

        return map;
    }

    /// <summary>True when every entry of a non-empty selector is among the labels.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
}
