namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>One entry of a function's <c>bindings</c> in functions.metadata.</summary>
internal sealed record BindingMetadata(string Name, string Direction, string Type, string? QueueName, string? Connection, string? Schedule)
{
    public bool IsIn => string.Equals(Direction, "In", StringComparison.OrdinalIgnoreCase);

    public bool IsOut => string.Equals(Direction, "Out", StringComparison.OrdinalIgnoreCase);

    public bool IsTrigger => IsIn && Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);
}
