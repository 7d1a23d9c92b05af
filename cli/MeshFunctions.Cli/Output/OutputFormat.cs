namespace MeshFunctions.Cli.Output;

/// <summary>How objects are printed: a YAML stream (default, ready for <c>kubectl apply -f -</c>) or JSON.</summary>
internal enum OutputFormat
{
    Yaml,
    Json,
}
