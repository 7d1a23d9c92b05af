using System.Text.Json;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// The <c>istio-proxy</c> container the rules prepare: one of the input's (read through <see cref="View"/>, written by
/// operations under <see cref="Pointer"/>) or one they add (<see cref="Added"/>, written whole by the operation that added it).
/// </summary>
internal sealed class ProxyContainer<T>(T view, string pointer, ObjectValue? added = null)
    where T : struct, IJsonView<T>
{
    private ObjectValue? _createdLifecycle;

    /// <summary>The input's container; absent for an added one.</summary>
    public T View { get; } = view;

    public string Pointer { get; } = pointer;

    public ObjectValue? Added { get; } = added;

    /// <summary>Sets <c>lifecycle.&lt;hook&gt;</c>, adding the lifecycle when the container has none.</summary>
    public void SetLifecycle(PatchRecorder edits, string hook, PatchValue value)
    {
        if (Added is not null)
        {
            if (_createdLifecycle is null)
            {
                _createdLifecycle = new ObjectValue();
                Added["lifecycle"] = _createdLifecycle;
            }

            _createdLifecycle[hook] = value;
            return;
        }

        var lifecycle = View[PodFields.Lifecycle];
        if (_createdLifecycle is not null || !lifecycle.IsObject)
        {
            if (_createdLifecycle is null)
            {
                _createdLifecycle = new ObjectValue();
                edits.Set(Pointer + "/lifecycle", lifecycle.Kind != JsonValueKind.Undefined, _createdLifecycle);
            }

            _createdLifecycle[hook] = value;
            return;
        }

        edits.Set(Pointer + "/lifecycle/" + hook, lifecycle[hook].Kind != JsonValueKind.Undefined, value);
    }
}
