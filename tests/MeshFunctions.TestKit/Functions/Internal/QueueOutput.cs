namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>A resolved queue output binding: <c>$return</c> or a property of the returned object.</summary>
internal sealed record QueueOutput(string BindingName, string QueueName, string ConnectionString);
