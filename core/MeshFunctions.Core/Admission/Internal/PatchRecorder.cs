namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// The RFC 6902 operations the mutator decided, in the order it decided them. The input is only read (through a view);
/// nothing is edited. A member that exists (even as null) is <c>replace</c>d, a missing one <c>add</c>ed. A value the
/// mutator creates (a map, a container, a lifecycle) is an <see cref="ObjectValue"/> that later writes go into, written
/// whole by the operation that added it; values are written straight to the answer (<see cref="PatchValue"/>).
/// </summary>
internal sealed class PatchRecorder
{
    private readonly List<JsonPatchOperation> _operations = [];

    public IReadOnlyList<JsonPatchOperation> Operations => _operations;

    /// <summary>Sets the member at <paramref name="pointer"/>: <c>replace</c> when <paramref name="exists"/>, else <c>add</c>.</summary>
    public void Set(string pointer, bool exists, PatchValue value) => _operations.Add(new(exists ? "replace" : "add", pointer, value));

    /// <summary>Adds <paramref name="value"/> at <paramref name="pointer"/> (an array position or a new member).</summary>
    public void Add(string pointer, PatchValue value) => _operations.Add(new("add", pointer, value));

    public void Remove(string pointer) => _operations.Add(JsonPatchOperation.Remove(pointer));
}
