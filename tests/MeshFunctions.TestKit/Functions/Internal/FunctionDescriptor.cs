using System.Reflection;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>A function from functions.metadata bound to its method, with binding expressions and connections resolved.</summary>
internal sealed record FunctionDescriptor(
    string Name,
    MethodInfo Method,
    BindingMetadata Trigger,
    string? QueueName,
    string? ConnectionString,
    IReadOnlyList<QueueOutput> Outputs)
{
    public bool IsQueue => string.Equals(Trigger.Type, "queueTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => string.Equals(Trigger.Type, "timerTrigger", StringComparison.OrdinalIgnoreCase);
}
