namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>One binding of a function as the worker reported it (its raw binding JSON).</summary>
/// <param name="Name">Parameter name (<c>$return</c> for the return value).</param>
/// <param name="Type">Binding type, e.g. <c>queueTrigger</c>, <c>timerTrigger</c>, <c>queue</c>.</param>
/// <param name="Direction"><c>In</c>, <c>Out</c> or <c>InOut</c>, as the worker spells it.</param>
/// <param name="Properties">Every other string property (<c>queueName</c>, <c>connection</c>, <c>schedule</c>, <c>dataType</c>…), unresolved.</param>
public sealed record WorkerBinding(string Name, string Type, string Direction, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>A property by name, case-insensitively; null when absent.</summary>
    public string? Property(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
