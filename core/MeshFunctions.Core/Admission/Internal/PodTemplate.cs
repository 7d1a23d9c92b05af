using System.Text.Json;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Where a workload keeps its pod (the Pod itself, <c>spec.template</c>, or a CronJob's <c>spec.jobTemplate.spec.template</c>),
/// read through a view, and the writes decided for it so far (<see cref="Edits"/>). Writes to the pod's labels and
/// annotations are remembered, so that a later read (<see cref="Current"/>) sees them. The pod's metadata, labels and
/// annotations are looked up once (as they are, unchecked: the rules check them when they first read them).
/// </summary>
internal sealed class PodTemplate<T>
    where T : struct, IJsonView<T>
{
    private static readonly JsonText[] TemplatePath = [PodFields.Spec, new("template")];
    private static readonly JsonText[] CronJobTemplatePath = [PodFields.Spec, new("jobTemplate"), PodFields.Spec, new("template")];

    private static readonly JsonText CoreV1 = new("v1");
    private static readonly JsonText AppsV1 = new("apps/v1");
    private static readonly JsonText BatchV1 = new("batch/v1");

    // The kinds this mutator handles, compared in place (kept as constants for messages).
    private static readonly JsonText PodKind = new("Pod");
    private static readonly JsonText CronJobKind = new("CronJob");
    private static readonly JsonText[] AppsKinds = [new("Deployment"), new("StatefulSet"), new("DaemonSet"), new("ReplicaSet")];

    private readonly MetadataMap _labels;
    private readonly MetadataMap _annotations;
    private readonly T _metadata;
    private ObjectValue? _createdMetadata;
    private StringMap<T>? _workloadLabels;

    private PodTemplate(T root, T holder, TemplateShape shape, string kind, bool? isJob)
    {
        Root = root;
        Holder = holder;
        Shape = shape;
        Kind = kind;
        _metadata = holder[PodFields.Metadata];
        IsJob = isJob ?? IsOwnedByJob(_metadata);
        _labels = new("labels", _metadata[PodFields.Labels]);
        _annotations = new("annotations", _metadata[PodFields.Annotations]);
    }

    /// <summary>The workload (for a Pod, the same as <see cref="Holder"/>).</summary>
    public T Root { get; }

    public T Holder { get; }

    public TemplateShape Shape { get; }

    /// <summary>The field path of <see cref="Holder"/> (empty for a Pod).</summary>
    public string Path => Shape.Path;

    public string Kind { get; }

    public bool IsJob { get; }

    /// <summary>The JSON Pointer of <see cref="Holder"/> (empty for a Pod).</summary>
    public string Pointer => Shape.Pointer;

    /// <summary>The pod's <c>metadata</c> as it is (not checked).</summary>
    public T Metadata => _metadata;

    /// <summary>The writes decided for this pod so far, as patch operations.</summary>
    public PatchRecorder Edits { get; } = new();

    /// <summary>The pod template of <paramref name="root"/>; null when the object is not a workload this mutator handles.</summary>
    public static PodTemplate<T>? Find(T root)
    {
        // The usual versions are compared in place; any other is read to find its group.
        var version = root[PodFields.ApiVersion];
        var group = version.ValueEquals(CoreV1) ? string.Empty
            : version.ValueEquals(AppsV1) ? "apps"
            : version.ValueEquals(BatchV1) ? "batch"
            : Group(JsonNav.String(version, "apiVersion") ?? string.Empty);
        var kind = root[PodFields.Kind];
        if (kind.Kind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
        {
            throw new AdmissionInputException("kind", "must be a string");
        }

        if (group.Length == 0)
        {
            return kind.ValueEquals(PodKind) ? new PodTemplate<T>(root, root, TemplateShape.Pod, PodKind.Text, isJob: null) : null;
        }

        if (group == "apps")
        {
            foreach (var apps in AppsKinds)
            {
                if (kind.ValueEquals(apps))
                {
                    return new PodTemplate<T>(root, Require(root, TemplatePath), TemplateShape.Template, apps.Text, false);
                }
            }

            return null;
        }

        if (group == "batch")
        {
            if (kind.ValueEquals(IstioKeys.Job))
            {
                return new PodTemplate<T>(root, Require(root, TemplatePath), TemplateShape.Template, IstioKeys.Job.Text, true);
            }

            if (kind.ValueEquals(CronJobKind))
            {
                return new PodTemplate<T>(root, Require(root, CronJobTemplatePath), TemplateShape.CronJob, CronJobKind.Text, true);
            }
        }

        return null;
    }

    /// <summary>The API group of <paramref name="apiVersion"/> (<c>apps/v1</c> → <c>apps</c>; empty for the core group).</summary>
    private static string Group(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? apiVersion[..slash] : string.Empty;
    }

    /// <summary>The field path of <paramref name="relative"/> inside the pod (for messages).</summary>
    public string At(string relative) => Shape.At(relative);

    /// <summary>
    /// The workload's own labels (<c>metadata.labels</c> of <see cref="Root"/>), checked on first read. For a Pod they are
    /// the pod's labels (<paramref name="podLabels"/>, already checked under the same path).
    /// </summary>
    public StringMap<T> WorkloadLabels(StringMap<T> podLabels)
    {
        if (Path.Length == 0)
        {
            return podLabels;
        }

        return _workloadLabels ??= JsonNav.StringMap(JsonNav.Object(Root[PodFields.Metadata], "metadata")[PodFields.Labels], "metadata.labels");
    }

    /// <summary>The value of <c>metadata.&lt;map&gt;[key]</c> as decided so far (the input's, or what was written since).</summary>
    public string? Current(string map, JsonText key)
    {
        var m = Map(map);
        return Decided(m, key, out var decided) ? decided : m.View[key].String;
    }

    /// <summary>Sets <c>metadata.&lt;map&gt;[key]</c> of the pod unless it already has that value.</summary>
    public void SetMetadataEntry(string map, JsonText key, TextValue value)
    {
        var m = Map(map);
        bool exists;
        if (Decided(m, key, out var decided))
        {
            if (decided == value.Value)
            {
                return;
            }

            exists = decided is not null;
        }
        else
        {
            // The input's entry, read once for both questions.
            var entry = m.View[key];
            if (entry.ValueEquals(value.Value))
            {
                return;
            }

            exists = entry.Kind != JsonValueKind.Undefined;
        }

        if (EnsureMap(m) is { } created)
        {
            created[key.Text] = value;
            return;
        }

        Edits.Set(Shape.EntryPointer(map, key), exists, value);
        (m.Written ??= new(2)).Add(new(key.Text, value.Value));
    }

    /// <summary>Removes <c>metadata.&lt;map&gt;[key]</c> of the pod when present.</summary>
    public void RemoveMetadataEntry(string map, JsonText key)
    {
        var m = Map(map);
        if (m.Created is { } created)
        {
            created[key.Text] = null;
            return;
        }

        if (m.View.IsObject && Exists(m, key))
        {
            Edits.Remove(Shape.EntryPointer(map, key));
            (m.Written ??= new(2)).Add(new(key.Text, null));
        }
    }

    /// <summary>What this mutation decided for <paramref name="key"/> (true: <paramref name="value"/>, null when removed); false when it did not touch it.</summary>
    private static bool Decided(MetadataMap m, JsonText key, out string? value)
    {
        if (m.Created is { } created)
        {
            value = (created[key.Text] as TextValue)?.Value;
            return true;
        }

        if (m.Written is not null)
        {
            for (var i = m.Written.Count - 1; i >= 0; i--)
            {
                if (m.Written[i].Key == key.Text)
                {
                    value = m.Written[i].Value;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    /// <summary>The map created by this mutation (written whole), or null when the input's map exists and takes single entries.</summary>
    private ObjectValue? EnsureMap(MetadataMap m)
    {
        if (m.Created is not null)
        {
            return m.Created;
        }

        if (_createdMetadata is null && !_metadata.IsObject)
        {
            _createdMetadata = new ObjectValue();
            Edits.Set(Shape.MetadataPointer, _metadata.Kind != JsonValueKind.Undefined, _createdMetadata);
        }

        if (_createdMetadata is not null)
        {
            m.Created = new ObjectValue();
            _createdMetadata[m.Name] = m.Created;
            return m.Created;
        }

        if (m.View.IsObject)
        {
            return null;
        }

        m.Created = new ObjectValue();
        Edits.Set(Shape.MapPointer(m.Name), m.View.Kind != JsonValueKind.Undefined, m.Created);
        return m.Created;
    }

    private static bool Exists(MetadataMap m, JsonText key)
    {
        if (m.Written is not null)
        {
            for (var i = m.Written.Count - 1; i >= 0; i--)
            {
                if (m.Written[i].Key == key.Text)
                {
                    return m.Written[i].Value is not null;
                }
            }
        }

        return m.View[key].Kind != JsonValueKind.Undefined;
    }

    private MetadataMap Map(string map) => map == "labels" ? _labels : _annotations;

    private static T Require(T root, JsonText[] path)
    {
        var node = root;
        for (var i = 0; i < path.Length; i++)
        {
            node = node[path[i]];
            if (!node.IsObject)
            {
                throw new AdmissionInputException(string.Join('.', path[..(i + 1)].Select(p => p.Text)), node.Kind is JsonValueKind.Undefined or JsonValueKind.Null ? "is required for this kind" : "must be an object");
            }
        }

        return node;
    }

    /// <summary>Whether a bare Pod (its <paramref name="metadata"/>) is owned by a Job.</summary>
    private static bool IsOwnedByJob(T metadata)
    {
        foreach (var owner in metadata[PodFields.OwnerReferences].Items())
        {
            if (owner[PodFields.Kind].ValueEquals(IstioKeys.Job))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Labels or annotations: the input's (<see cref="View"/>, as it is), created whole by this mutation, or the input's with the entries written since.</summary>
    private sealed class MetadataMap(string name, T view)
    {
        public string Name { get; } = name;

        public T View { get; } = view;

        public ObjectValue? Created { get; set; }

        public List<KeyValuePair<string, string?>>? Written { get; set; }
    }
}
