namespace MeshFunctions.Cli;

/// <summary>
/// The three standard streams, injected so that tests drive the real entry point in memory.
/// <paramref name="StdinIsTerminal"/>: standard input is an interactive terminal (nothing piped), so reading it
/// would wait silently for typing.
/// </summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool StdinIsTerminal = false)
{
    public static CliConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected);
}
