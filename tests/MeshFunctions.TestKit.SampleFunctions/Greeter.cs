namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>A scoped service, so the harness has to create a DI scope per invocation as the worker does.</summary>
public sealed class Greeter
{
    /// <summary>Prefixes the text with "echo:".</summary>
    public string Greet(string text) => "echo:" + text;
}
