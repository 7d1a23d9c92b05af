using System.Collections.Concurrent;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Where a workload keeps its pod (a Pod itself, <c>spec.template</c>, or a CronJob's <c>spec.jobTemplate.spec.template</c>),
/// with the field paths and JSON Pointers the rules write under it made once per process instead of once per request.
/// The caches only ever hold the constant names the rules use.
/// </summary>
internal sealed class TemplateShape
{
    private const int CachedIndexes = 16;

    private readonly ConcurrentDictionary<string, string> _paths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<JsonText, string> _labelPointers = new();
    private readonly ConcurrentDictionary<JsonText, string> _annotationPointers = new();
    private readonly string[] _containerPointers = new string[CachedIndexes];
    private readonly string[] _initContainerPointers = new string[CachedIndexes];

    private TemplateShape(string path)
    {
        Path = path;
        Pointer = path.Length == 0 ? string.Empty : "/" + path.Replace('.', '/');
        MetadataPointer = Pointer + "/metadata";
        SpecPointer = Pointer + "/spec";
        ContainersPointer = SpecPointer + "/containers";
        InitContainersPointer = SpecPointer + "/initContainers";
        GracePointer = SpecPointer + "/terminationGracePeriodSeconds";
        for (var i = 0; i < CachedIndexes; i++)
        {
            _containerPointers[i] = JsonPatch.Pointer(ContainersPointer, i);
            _initContainerPointers[i] = JsonPatch.Pointer(InitContainersPointer, i);
        }
    }

    public static TemplateShape Pod { get; } = new(string.Empty);

    public static TemplateShape Template { get; } = new("spec.template");

    public static TemplateShape CronJob { get; } = new("spec.jobTemplate.spec.template");

    /// <summary>The field path of the pod (empty for a Pod).</summary>
    public string Path { get; }

    /// <summary>The JSON Pointer of the pod (empty for a Pod).</summary>
    public string Pointer { get; }

    public string MetadataPointer { get; }

    public string SpecPointer { get; }

    public string ContainersPointer { get; }

    public string InitContainersPointer { get; }

    public string GracePointer { get; }

    /// <summary>The field path of <paramref name="relative"/> (a constant) inside the pod.</summary>
    public string At(string relative) => Path.Length == 0 ? relative : _paths.GetOrAdd(relative, static (r, path) => path + "." + r, Path);

    /// <summary>The pointer of <c>metadata.&lt;map&gt;</c>.</summary>
    public string MapPointer(string map) => MetadataPointer + "/" + map;

    /// <summary>The pointer of <c>metadata.&lt;map&gt;[key]</c> (<paramref name="key"/> a constant).</summary>
    public string EntryPointer(string map, JsonText key) => map == "labels"
        ? _labelPointers.GetOrAdd(key, static (k, self) => JsonPatch.Pointer(self.MetadataPointer + "/labels", k.Text), this)
        : _annotationPointers.GetOrAdd(key, static (k, self) => JsonPatch.Pointer(self.MetadataPointer + "/annotations", k.Text), this);

    /// <summary>The pointer of <c>spec.containers[index]</c> or <c>spec.initContainers[index]</c>.</summary>
    public string ContainerPointer(bool init, int index) => index < CachedIndexes
        ? (init ? _initContainerPointers : _containerPointers)[index]
        : JsonPatch.Pointer(init ? InitContainersPointer : ContainersPointer, index);

    public override string ToString() => Path;
}
