using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>Where a workload keeps its pod: the Pod itself, <c>spec.template</c>, or a CronJob's <c>spec.jobTemplate.spec.template</c>.</summary>
internal sealed record TreePodTemplate(JsonObject Holder, string Path, string Kind, bool IsJob)
{
    /// <summary>The pod template of <paramref name="root"/>; null when the object is not a workload this mutator handles.</summary>
    public static TreePodTemplate? Find(JsonObject root)
    {
        var apiVersion = TreeNav.String(root, "apiVersion", "apiVersion") ?? string.Empty;
        var kind = TreeNav.String(root, "kind", "kind") ?? string.Empty;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        switch (group, kind)
        {
            case ("", "Pod"):
                return new TreePodTemplate(root, string.Empty, kind, IsOwnedByJob(root));
            case ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"):
            case ("batch", "Job"):
                return new TreePodTemplate(Require(root, ["spec", "template"]), "spec.template", kind, kind == "Job");
            case ("batch", "CronJob"):
                return new TreePodTemplate(Require(root, ["spec", "jobTemplate", "spec", "template"]), "spec.jobTemplate.spec.template", kind, true);
            default:
                return null;
        }
    }

    /// <summary>The JSON Pointer of <see cref="Holder"/> (empty for a Pod).</summary>
    public string Pointer { get; } = Path.Length == 0 ? string.Empty : "/" + Path.Replace('.', '/');

    /// <summary>The writes made to this pod so far, as patch operations.</summary>
    public TreePatchRecorder Edits { get; } = new();

    /// <summary>Sets <c>metadata.&lt;map&gt;[key]</c> of the pod unless it already has that value.</summary>
    public void SetMetadataEntry(string map, string key, string value) => Edits.SetMetadataEntry(Holder, Pointer, map, key, value);

    /// <summary>The field path of <paramref name="relative"/> inside the pod (for messages).</summary>
    public string At(string relative) => Path.Length == 0 ? relative : Path + "." + relative;

    private static JsonObject Require(JsonObject root, string[] path)
    {
        JsonNode? node = root;
        var done = new List<string>();
        foreach (var key in path)
        {
            done.Add(key);
            node = (node as JsonObject)?[key];
            if (node is not JsonObject)
            {
                throw new AdmissionInputException(string.Join('.', done), node is null ? "is required for this kind" : "must be an object");
            }
        }

        return (JsonObject)node!;
    }

    private static bool IsOwnedByJob(JsonObject pod) =>
        pod["metadata"] is JsonObject meta && meta["ownerReferences"] is JsonArray owners
        && owners.Any(o => o is JsonObject owner && owner["kind"] is JsonValue k && k.TryGetValue<string>(out var s) && s == "Job");
}
