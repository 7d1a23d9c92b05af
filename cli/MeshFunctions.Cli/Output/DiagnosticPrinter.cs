using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Output;

/// <summary>Prints findings one per line as <c>file:line: error|warning: Kind ns/name: path: message</c>.</summary>
internal static class DiagnosticPrinter
{
    public static void Print(TextWriter writer, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            writer.WriteLine(d.ToString());
        }

        writer.Flush();
    }

    public static string Summary(IReadOnlyCollection<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        var warnings = diagnostics.Count - errors;
        return $"{errors} error{(errors == 1 ? string.Empty : "s")}, {warnings} warning{(warnings == 1 ? string.Empty : "s")}";
    }
}
