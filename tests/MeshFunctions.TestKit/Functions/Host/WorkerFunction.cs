namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>A function as the worker indexed it (<c>FunctionMetadataResponse</c>) and the host loaded it.</summary>
/// <param name="FunctionId">The id the worker gave it, used in load and invocation requests.</param>
/// <param name="Name">Function name.</param>
/// <param name="ScriptFile">Assembly file.</param>
/// <param name="EntryPoint">Type and method.</param>
/// <param name="Bindings">Its bindings, the trigger among them.</param>
public sealed record WorkerFunction(string FunctionId, string Name, string ScriptFile, string EntryPoint, IReadOnlyList<WorkerBinding> Bindings)
{
    /// <summary>The trigger binding (type ending in <c>Trigger</c>).</summary>
    public WorkerBinding? Trigger => Bindings.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
}
