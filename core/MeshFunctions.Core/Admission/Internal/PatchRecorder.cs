namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// The RFC 6902 operations the mutator decided, in the order it decided them. The input is only read (through a view);
/// nothing is edited. A member that exists (even as null) is <c>replace</c>d, a missing one <c>add</c>ed. A value the
/// mutator creates (a map, a container, a lifecycle) is an <see cref="ObjectValue"/> that later writes go into, written
/// whole by the operation that added it; values are written straight to the answer (<see cref="PatchValue"/>).
/// </summary>
internal sealed class PatchRecorder
{
    // Made on the first write (an object with nothing to do has none); a pod usually gets four to five operations
    // (labels, annotations, the proxy, the grace period, the decision record).
    private List<JsonPatchOperation>? _operations;

    public IReadOnlyList<JsonPatchOperation> Operations => _operations ?? (IReadOnlyList<JsonPatchOperation>)Array.Empty<JsonPatchOperation>();

    /// <summary>Sets the member at <paramref name="pointer"/>: <c>replace</c> when <paramref name="exists"/>, else <c>add</c>.</summary>
    public void Set(string pointer, bool exists, PatchValue value) => Record(new(exists ? "replace" : "add", pointer, value));

    /// <summary>Adds <paramref name="value"/> at <paramref name="pointer"/> (an array position or a new member).</summary>
    public void Add(string pointer, PatchValue value) => Record(new("add", pointer, value));

    public void Remove(string pointer) => Record(JsonPatchOperation.Remove(pointer));

    private void Record(JsonPatchOperation operation) => (_operations ??= new(6)).Add(operation);
}
