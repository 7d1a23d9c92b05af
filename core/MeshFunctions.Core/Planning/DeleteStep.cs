namespace MeshFunctions.Core.Planning;

/// <summary>Delete one object.</summary>
public sealed record DeleteStep(string ApiVersion, string Kind, string Namespace, string Name, string Reason) : PlanStep(Reason)
{
    /// <summary><c>delete Kind ns/name: reason</c>.</summary>
    public override string ToString() => $"delete {Kind} {Namespace}/{Name}: {Reason}";
}
