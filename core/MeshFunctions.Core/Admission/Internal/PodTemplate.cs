using System.Text.Json;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Where a workload keeps its pod (the Pod itself, <c>spec.template</c>, or a CronJob's <c>spec.jobTemplate.spec.template</c>),
/// read through a view, and the writes decided for it so far (<see cref="Edits"/>). Writes to the pod's labels and
/// annotations are remembered, so that a later read (<see cref="Current"/>) sees them.
/// </summary>
internal sealed class PodTemplate<T>
    where T : struct, IJsonView<T>
{
    private readonly MetadataMap _labels = new("labels");
    private readonly MetadataMap _annotations = new("annotations");
    private ObjectValue? _createdMetadata;

    private PodTemplate(T holder, string path, string kind, bool isJob)
    {
        Holder = holder;
        Path = path;
        Kind = kind;
        IsJob = isJob;
        Pointer = path.Length == 0 ? string.Empty : "/" + path.Replace('.', '/');
    }

    public T Holder { get; }

    /// <summary>The field path of <see cref="Holder"/> (empty for a Pod).</summary>
    public string Path { get; }

    public string Kind { get; }

    public bool IsJob { get; }

    /// <summary>The JSON Pointer of <see cref="Holder"/> (empty for a Pod).</summary>
    public string Pointer { get; }

    /// <summary>The writes decided for this pod so far, as patch operations.</summary>
    public PatchRecorder Edits { get; } = new();

    /// <summary>The pod template of <paramref name="root"/>; null when the object is not a workload this mutator handles.</summary>
    public static PodTemplate<T>? Find(T root)
    {
        var apiVersion = JsonNav.String(root["apiVersion"], "apiVersion") ?? string.Empty;
        var kind = JsonNav.String(root["kind"], "kind") ?? string.Empty;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash >= 0 ? apiVersion[..slash] : string.Empty;
        switch (group, kind)
        {
            case ("", "Pod"):
                return new PodTemplate<T>(root, string.Empty, kind, IsOwnedByJob(root));
            case ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"):
            case ("batch", "Job"):
                return new PodTemplate<T>(Require(root, ["spec", "template"]), "spec.template", kind, kind == "Job");
            case ("batch", "CronJob"):
                return new PodTemplate<T>(Require(root, ["spec", "jobTemplate", "spec", "template"]), "spec.jobTemplate.spec.template", kind, true);
            default:
                return null;
        }
    }

    /// <summary>The field path of <paramref name="relative"/> inside the pod (for messages).</summary>
    public string At(string relative) => Path.Length == 0 ? relative : Path + "." + relative;

    /// <summary>The value of <c>metadata.&lt;map&gt;[key]</c> as decided so far (the input's, or what was written since).</summary>
    public string? Current(string map, string key)
    {
        var m = Map(map);
        if (m.Created is { } created)
        {
            return (created[key] as TextValue)?.Value;
        }

        if (m.Written is not null)
        {
            for (var i = m.Written.Count - 1; i >= 0; i--)
            {
                if (m.Written[i].Key == key)
                {
                    return m.Written[i].Value;
                }
            }
        }

        return Holder["metadata"][map][key].String;
    }

    /// <summary>Sets <c>metadata.&lt;map&gt;[key]</c> of the pod unless it already has that value.</summary>
    public void SetMetadataEntry(string map, string key, string value)
    {
        if (Current(map, key) == value)
        {
            return;
        }

        var m = Map(map);
        if (EnsureMap(m) is { } created)
        {
            created[key] = new TextValue(value);
            return;
        }

        Edits.Set(JsonPatch.Pointer(Pointer + "/metadata/" + map, key), Exists(m, key), new TextValue(value));
        (m.Written ??= []).Add(new(key, value));
    }

    /// <summary>Removes <c>metadata.&lt;map&gt;[key]</c> of the pod when present.</summary>
    public void RemoveMetadataEntry(string map, string key)
    {
        var m = Map(map);
        if (m.Created is { } created)
        {
            created[key] = null;
            return;
        }

        if (Holder["metadata"][map].IsObject && Exists(m, key))
        {
            Edits.Remove(JsonPatch.Pointer(Pointer + "/metadata/" + map, key));
            (m.Written ??= []).Add(new(key, null));
        }
    }

    /// <summary>The map created by this mutation (written whole), or null when the input's map exists and takes single entries.</summary>
    private ObjectValue? EnsureMap(MetadataMap m)
    {
        if (m.Created is not null)
        {
            return m.Created;
        }

        var metadata = Holder["metadata"];
        if (_createdMetadata is null && !metadata.IsObject)
        {
            _createdMetadata = new ObjectValue();
            Edits.Set(Pointer + "/metadata", metadata.Kind != JsonValueKind.Undefined, _createdMetadata);
        }

        if (_createdMetadata is not null)
        {
            m.Created = new ObjectValue();
            _createdMetadata[m.Name] = m.Created;
            return m.Created;
        }

        var existing = metadata[m.Name];
        if (existing.IsObject)
        {
            return null;
        }

        m.Created = new ObjectValue();
        Edits.Set(Pointer + "/metadata/" + m.Name, existing.Kind != JsonValueKind.Undefined, m.Created);
        return m.Created;
    }

    private bool Exists(MetadataMap m, string key)
    {
        if (m.Written is not null)
        {
            for (var i = m.Written.Count - 1; i >= 0; i--)
            {
                if (m.Written[i].Key == key)
                {
                    return m.Written[i].Value is not null;
                }
            }
        }

        return Holder["metadata"][m.Name][key].Kind != JsonValueKind.Undefined;
    }

    private MetadataMap Map(string map) => map == "labels" ? _labels : _annotations;

    private static T Require(T root, string[] path)
    {
        var node = root;
        for (var i = 0; i < path.Length; i++)
        {
            node = node[path[i]];
            if (!node.IsObject)
            {
                throw new AdmissionInputException(string.Join('.', path[..(i + 1)]), node.Kind is JsonValueKind.Undefined or JsonValueKind.Null ? "is required for this kind" : "must be an object");
            }
        }

        return node;
    }

    private static bool IsOwnedByJob(T pod)
    {
        foreach (var owner in pod["metadata"]["ownerReferences"].Items())
        {
            if (owner["kind"].String == "Job")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Labels or annotations: created whole by this mutation, or the input's with the entries written since.</summary>
    private sealed class MetadataMap(string name)
    {
        public string Name { get; } = name;

        public ObjectValue? Created { get; set; }

        public List<KeyValuePair<string, string?>>? Written { get; set; }
    }
}
