using MeshFunctions.Cli.Output;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Commands;

/// <summary>
/// The shape every command follows: compute everything in memory, print findings to stderr, and write
/// outputs only when no finding is an error. Any failure ends with a message, never a stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="compute"/>; on success commits its output.</summary>
    public static int Run(CliConsole console, string command, Func<List<Diagnostic>, PendingOutput?> compute)
    {
        var name = "meshctl " + command;
        var diagnostics = new List<Diagnostic>();
        PendingOutput? output;
        try
        {
            output = compute(diagnostics);
        }
        catch (ManifestException ex)
        {
            diagnostics.AddRange(ex.Diagnostics);
            output = null;
        }
        catch (UsageException ex)
        {
            console.Error.WriteLine($"{name}: {ex.Message}");
            return ExitCodes.Usage;
        }
#pragma warning disable CA1031 // a bug in a renderer must end as a message and exit code, not a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DiagnosticPrinter.Print(console.Error, diagnostics);
            return ExitCodes.ReportInternal(console.Error, name, ex);
        }

        DiagnosticPrinter.Print(console.Error, diagnostics);
        if (output is null || diagnostics.Any(d => d.Severity == Severity.Error))
        {
            console.Error.WriteLine($"{name}: {DiagnosticPrinter.Summary(diagnostics)}; nothing written");
            return ExitCodes.InputErrors;
        }

        if (output.Validate() is { } problem)
        {
            console.Error.WriteLine($"{name}: {problem}");
            return ExitCodes.Usage;
        }

        try
        {
            output.Commit(console.Out);
            console.Out.Flush(); // before the lines on stderr that describe what was written
            foreach (var line in output.Describe())
            {
                console.Error.WriteLine($"{name}: {line}");
            }
        }
        catch (OutputException ex)
        {
            console.Error.WriteLine($"{name}: {ex.Message}; nothing written");
            return ExitCodes.InputErrors;
        }

        return ExitCodes.Ok;
    }
}
