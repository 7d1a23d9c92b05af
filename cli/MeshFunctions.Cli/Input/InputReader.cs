using MeshFunctions.Cli.Commands;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Input;

/// <summary>
/// Reads manifests from files, directories (recursively: <c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c> in any case,
/// in ordinal path order so output is stable; symlinked directories are followed once, loops are reported),
/// Kustomize directories (<c>-k</c>, through <c>kubectl kustomize</c>) and standard input (<c>-</c>, or no path
/// at all), and parses them with the core parser.
/// </summary>
internal sealed class InputReader
{
    /// <summary>The name standard input gets in findings (matches <see cref="SourceLocation"/>'s default).</summary>
    public const string StdinName = "-";

    /// <summary>Kustomize's file names; a directory holding one is a Kustomize directory, not a folder of manifests.</summary>
    public static readonly string[] KustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private readonly CliConsole _console;
    private readonly ManifestParseOptions? _options;
    private readonly Func<Manifest, Manifest>? _reduce;
    private bool _stdinRead;

    /// <param name="console">Where standard input comes from.</param>
    /// <param name="options">What the parser validates.</param>
    /// <param name="reduce">
    /// Applied to each valid object as it is parsed: a command that needs only part of some objects returns a smaller
    /// one, so the whole trees of a large input are not all kept alive.
    /// </param>
    public InputReader(CliConsole console, ManifestParseOptions? options = null, Func<Manifest, Manifest>? reduce = null)
    {
        _console = console;
        _options = options;
        _reduce = reduce;
    }

    /// <summary>Reads <paramref name="paths"/> (standard input when there are none) and the Kustomize directories.</summary>
    /// <exception cref="UsageException">No input was named and standard input is a terminal.</exception>
    public InputSet Read(IReadOnlyList<string>? paths, IReadOnlyList<string>? kustomizations = null)
    {
        var manifests = new List<Manifest>();
        var diagnostics = new List<Diagnostic>();
        var sources = paths is { Count: > 0 } || kustomizations is { Count: > 0 } ? paths ?? [] : [StdinName];
        foreach (var path in sources)
        {
            if (path == StdinName)
            {
                if (paths is not { Count: > 0 } && _console.StdinIsTerminal)
                {
                    throw new UsageException("no input: name files or directories, or pipe manifests to standard input (use '-' to type them)");
                }

                if (!_stdinRead)
                {
                    _stdinRead = true;
                    Parse(_console.In.ReadToEnd(), null, manifests, diagnostics);
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
                    diagnostics.Add(FileError(file, "cannot be read: " + (ex is UnauthorizedAccessException ? "permission denied" : ex.Message)));
                    continue;
                }

                Parse(text, file, manifests, diagnostics);
            }
        }

        foreach (var dir in kustomizations ?? [])
        {
            if (Kustomize.Build(dir, diagnostics) is { } text)
            {
                Parse(text, dir + " (kubectl kustomize)", manifests, diagnostics);
            }
        }

        return new InputSet(manifests, diagnostics);
    }

    private void Parse(string text, string? file, List<Manifest> manifests, List<Diagnostic> diagnostics)
    {
        var result = ManifestParser.Parse(text, file, _options, _reduce);
        manifests.AddRange(result.Manifests);
        diagnostics.AddRange(result.Diagnostics);
    }

    private static List<string> Expand(string path, List<Diagnostic> diagnostics)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            diagnostics.Add(FileError(path, "no such file or directory"));
            return [];
        }

        var files = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        Walk(path, RealPath(path), visited, files, diagnostics);
        if (files.Count == 0 && !diagnostics.Any(d => d.Location?.File?.StartsWith(path, StringComparison.Ordinal) == true))
        {
            diagnostics.Add(FileError(path, "directory holds no *.yaml, *.yml or *.json files"));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Collects the manifest files under <paramref name="shown"/> (the path as the user will see it; <paramref name="real"/> is where it really is).</summary>
    private static void Walk(string shown, string real, HashSet<string> visited, List<string> files, List<Diagnostic> diagnostics)
    {
        if (!visited.Add(real))
        {
            diagnostics.Add(Diagnostic.Warning(string.Empty, $"is a symbolic link to {real}, which is already being read (a loop or a second route); skipped") with
            {
                Location = new SourceLocation(shown, 1, 1),
                Code = DiagnosticCodes.InputFile,
            });
            return;
        }

        if (KustomizationFiles.Select(k => Path.Combine(shown, k)).FirstOrDefault(File.Exists) is { } kustomization)
        {
            diagnostics.Add(FileError(kustomization, $"{shown} is a Kustomize directory, not a folder of manifests: read it with -k {shown} (runs kubectl kustomize)"));
            return;
        }

        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(shown).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(FileError(shown, "cannot be read: " + (ex is UnauthorizedAccessException ? "permission denied" : ex.Message)));
            return;
        }

        foreach (var entry in entries)
        {
            var childShown = Path.Combine(shown, entry.Name);
            var isDirectory = entry is DirectoryInfo || (entry.LinkTarget is not null && Directory.Exists(childShown));
            if (isDirectory)
            {
                var childReal = entry.LinkTarget is null ? Path.Combine(real, entry.Name) : RealPath(childShown);
                Walk(childShown, childReal, visited, files, diagnostics);
            }
            else if (Extensions.Any(e => entry.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) && File.Exists(childShown))
            {
                files.Add(childShown);
            }
        }
    }

    /// <summary>The directory's path with every symbolic link resolved.</summary>
    private static string RealPath(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var root = Path.GetPathRoot(full) ?? "/";
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(resolved, part);
            try
            {
                if (new DirectoryInfo(next).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    next = target.FullName.TrimEnd(Path.DirectorySeparatorChar);
                }
            }
            catch (IOException)
            {
                // a dangling or looping link: keep the path as written, the walk reports it
            }

            resolved = next;
        }

        return resolved;
    }

    private static Diagnostic FileError(string file, string message) =>
        new(Severity.Error, string.Empty, message) { Location = new SourceLocation(file, 1, 1), Code = DiagnosticCodes.InputFile };
}
