using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Input;

/// <summary>
/// Reads manifests from files, directories (recursively, <c>*.yaml</c>/<c>*.yml</c> in ordinal path order so
/// output is stable) and standard input (<c>-</c>, or no path at all), and parses them with the core parser.
/// </summary>
internal sealed class InputReader
{
    /// <summary>The name standard input gets in findings (matches <see cref="SourceLocation"/>'s default).</summary>
    public const string StdinName = "-";

    private readonly TextReader _stdin;

    public InputReader(TextReader stdin)
    {
        _stdin = stdin;
    }

    public InputSet Read(IReadOnlyList<string>? paths)
    {
        var manifests = new List<Manifest>();
        var diagnostics = new List<Diagnostic>();
        var sources = paths is { Count: > 0 } ? paths : [StdinName];
        var stdinRead = false;
        foreach (var path in sources)
        {
            if (path == StdinName)
            {
                if (!stdinRead)
                {
                    stdinRead = true;
                    Parse(_stdin.ReadToEnd(), null, manifests, diagnostics);
                }

                continue;
            }

            foreach (var file in Expand(path, diagnostics))
            {
                string text;
                try
                {
                    text = File.ReadAllText(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    diagnostics.Add(FileError(file, "cannot be read: " + ex.Message));
                    continue;
                }

                Parse(text, file, manifests, diagnostics);
            }
        }

        return new InputSet(manifests, diagnostics);
    }

    private static void Parse(string text, string? file, List<Manifest> manifests, List<Diagnostic> diagnostics)
    {
        var result = ManifestParser.Parse(text, file);
        manifests.AddRange(result.Manifests);
        diagnostics.AddRange(result.Diagnostics);
    }

    private static IEnumerable<string> Expand(string path, List<Diagnostic> diagnostics)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            var files = Directory
                .EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false })
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                diagnostics.Add(FileError(path, "directory holds no *.yaml or *.yml files"));
            }

            return files;
        }

        diagnostics.Add(FileError(path, "no such file or directory"));
        return [];
    }

    private static Diagnostic FileError(string file, string message) =>
        new(Severity.Error, string.Empty, message) { Location = new SourceLocation(file, 1, 1) };
}
