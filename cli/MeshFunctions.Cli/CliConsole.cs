namespace MeshFunctions.Cli;

/// <summary>The three standard streams, injected so that tests drive the real entry point in memory.</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System => new(Console.In, Console.Out, Console.Error);
}
