using System.Text;

namespace MeshFunctions.Cli;

/// <summary>
/// The three standard streams, injected so that tests drive the real entry point in memory.
/// <paramref name="StdinIsTerminal"/>: standard input is an interactive terminal (nothing piped), so reading it
/// would wait silently for typing.
/// </summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool StdinIsTerminal = false)
{
    public static CliConsole System => new(Console.In, StandardOutput(), Console.Error, !Console.IsInputRedirected);

    /// <summary>
    /// Standard output with a 64 KB buffer when it is UTF-8 (Console.Out flushes every 256 characters: a write call each,
    /// 300,000 of them for the 75 MB that <c>inject</c> prints for a 50 MB input). Whoever writes to it flushes it.
    /// </summary>
    private static TextWriter StandardOutput() =>
        Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { AutoFlush = false }
            : Console.Out;
}
