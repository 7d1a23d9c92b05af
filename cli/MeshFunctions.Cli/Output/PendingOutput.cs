using System.Text;

namespace MeshFunctions.Cli.Output;

/// <summary>
/// Collects everything a command will write — stdout text, an output directory's files, extra files — and
/// writes it only in <see cref="Commit"/>, after all rendering succeeded. Directories and files are first
/// written beside their destination under a hidden temporary name (<c>.name.meshctl-xxxxxxxx</c>) and then
/// renamed into place, so each destination holds either its old or its complete new content. An I/O error
/// removes what was staged (and puts an old output directory back). What is not guaranteed: the destinations
/// are renamed one after the other, not all at once; and a process killed while committing may leave a hidden
/// staging entry beside a destination.
/// </summary>
internal sealed class PendingOutput
{
    /// <summary>Marks a directory that meshctl wrote, so that a later run may replace it.</summary>
    public const string Marker = ".meshctl-output";

    private readonly List<Action<TextWriter>> _stdout = [];
    private readonly List<(string Path, string Content)> _files = [];
    private readonly List<string> _notes = [];
    private string? _directory;
    private SortedDictionary<string, string>? _directoryFiles;

    public void Stdout(string text) => _stdout.Add(w => w.Write(text));

    /// <summary>Standard output text built elsewhere, kept as it is (not copied) until <see cref="Commit"/>.</summary>
    public void Stdout(StringBuilder text) => _stdout.Add(w =>
    {
        foreach (var chunk in text.GetChunks())
        {
            w.Write(chunk.Span);
        }
    });

    /// <summary>Standard output text kept as UTF-8, not copied until <see cref="Commit"/>.</summary>
    public void Stdout(Utf8Text text) => _stdout.Add(text.WriteTo);

    public void File(string path, string content) => _files.Add((path, content));

    /// <summary>A line for stderr once the output is committed (a summary).</summary>
    public void Note(string line) => _notes.Add(line);

    /// <summary>Replaces <paramref name="directory"/> with exactly these files (paths relative to it).</summary>
    public void Directory(string directory, IEnumerable<KeyValuePair<string, string>> files)
    {
        _directory = directory;
        _directoryFiles = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            _directoryFiles[path] = content;
        }
    }

    /// <summary>What <see cref="Commit"/> writes besides standard output, one line each (for stderr).</summary>
    public IEnumerable<string> Describe()
    {
        if (_directory is not null && _directoryFiles is not null)
        {
            yield return $"wrote {_directoryFiles.Count} file{(_directoryFiles.Count == 1 ? string.Empty : "s")} to {_directory}";
        }

        foreach (var (path, _) in _files)
        {
            yield return "wrote " + path;
        }

        foreach (var note in _notes)
        {
            yield return note;
        }
    }

    /// <summary>Checks the destinations before anything is written; returns why one cannot be used.</summary>
    public string? Validate()
    {
        if (_directory is not null && System.IO.Directory.Exists(_directory)
            && System.IO.Directory.EnumerateFileSystemEntries(_directory).Any()
            && !System.IO.File.Exists(Path.Combine(_directory, Marker)))
        {
            return $"{_directory}: refusing to replace a non-empty directory that meshctl did not write (no {Marker} file)";
        }

        if (_directory is not null && System.IO.File.Exists(_directory))
        {
            return $"{_directory}: exists and is a file, not a directory";
        }

        foreach (var (path, _) in _files)
        {
            if (System.IO.Directory.Exists(path))
            {
                return $"{path}: is a directory";
            }
        }

        return null;
    }

    /// <summary>Stages every file under a temporary name, then moves all of them into place, then prints stdout.</summary>
    /// <exception cref="OutputException">A destination cannot be written; what was staged is removed.</exception>
    public void Commit(TextWriter stdout)
    {
        var staged = new List<(string Temp, string Final)>();
        string? stagedDirectory = null;
        var current = _directory ?? string.Empty;
        try
        {
            if (_directory is not null && _directoryFiles is not null)
            {
                stagedDirectory = StageDirectory(_directory, _directoryFiles);
            }

            foreach (var (path, content) in _files)
            {
                current = path;
                var temp = TempBeside(path);
                CreateParent(path);
                staged.Add((temp, path));
                System.IO.File.WriteAllText(temp, content);
            }

            if (stagedDirectory is not null)
            {
                current = _directory!;
                SwapDirectory(stagedDirectory, _directory!);
                stagedDirectory = null;
            }

            foreach (var (temp, final) in staged.ToList())
            {
                current = final;
                System.IO.File.Move(temp, final, overwrite: true);
                staged.Remove((temp, final));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Cleanup(stagedDirectory, staged);
            throw new OutputException($"cannot write {current}: {Reason(ex)}", ex);
        }

        foreach (var write in _stdout)
        {
            write(stdout);
        }

        stdout.Flush();
    }

    /// <summary>The reason without the temporary path .NET puts in its messages (the user never named that file).</summary>
    private static string Reason(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a parent directory cannot be created",
        PathTooLongException => "the path is too long",
        IOException io when io.HResult == 28 || io.Message.Contains("No space", StringComparison.Ordinal) => "no space left on the device",
        _ => ex.Message.Contains(".meshctl-", StringComparison.Ordinal) ? ex.GetType().Name : ex.Message,
    };

    private static string StageDirectory(string directory, SortedDictionary<string, string> files)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        CreateParent(full);
        var temp = TempBeside(full);
        System.IO.Directory.CreateDirectory(temp);
        System.IO.File.WriteAllText(Path.Combine(temp, Marker), "written by meshctl; the whole directory is replaced on the next run\n");
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(temp, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, content);
        }

        return temp;
    }

    private static void SwapDirectory(string staged, string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (!System.IO.Directory.Exists(full))
        {
            System.IO.Directory.Move(staged, full);
            return;
        }

        // Two renames: the old output disappears only once the new one is in place; put it back if that fails.
        var old = TempBeside(full);
        System.IO.Directory.Move(full, old);
        try
        {
            System.IO.Directory.Move(staged, full);
        }
        catch (IOException)
        {
            System.IO.Directory.Move(old, full);
            throw;
        }

        System.IO.Directory.Delete(old, recursive: true);
    }

    private static void Cleanup(string? stagedDirectory, List<(string Temp, string Final)> staged)
    {
        if (stagedDirectory is not null && System.IO.Directory.Exists(stagedDirectory))
        {
            System.IO.Directory.Delete(stagedDirectory, recursive: true);
        }

        foreach (var (temp, _) in staged)
        {
            try
            {
                System.IO.File.Delete(temp);
            }
            catch (IOException)
            {
                // best effort: the original error is the one to report
            }
        }
    }

    private static void CreateParent(string path)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(parent))
        {
            System.IO.Directory.CreateDirectory(parent);
        }
    }

    private static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".meshctl-" + Guid.NewGuid().ToString("N")[..8]);
}
