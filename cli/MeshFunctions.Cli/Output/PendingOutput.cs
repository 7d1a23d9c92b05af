using System.Text;

namespace MeshFunctions.Cli.Output;

/// <summary>
/// Collects everything a command will write — stdout text, an output directory's files, extra files — and
/// writes it only in <see cref="Commit"/>, after all rendering succeeded. Directories and files are first
/// written beside their destination under a temporary name and then moved into place, so that an error
/// (or a crash) never leaves a partial output behind.
/// </summary>
internal sealed class PendingOutput
{
    /// <summary>Marks a directory that meshctl wrote, so that a later run may replace it.</summary>
    public const string Marker = ".meshctl-output";

    private readonly StringBuilder _stdout = new();
    private readonly List<(string Path, string Content)> _files = [];
    private string? _directory;
    private SortedDictionary<string, string>? _directoryFiles;

    public void Stdout(string text) => _stdout.Append(text);

    public void File(string path, string content) => _files.Add((path, content));

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
    public void Commit(TextWriter stdout)
    {
        var staged = new List<(string Temp, string Final)>();
        string? stagedDirectory = null;
        try
        {
            if (_directory is not null && _directoryFiles is not null)
            {
                stagedDirectory = StageDirectory(_directory, _directoryFiles);
            }

            foreach (var (path, content) in _files)
            {
                var temp = TempBeside(path);
                CreateParent(path);
                System.IO.File.WriteAllText(temp, content);
                staged.Add((temp, path));
            }
        }
        catch
        {
            Cleanup(stagedDirectory, staged);
            throw;
        }

        if (stagedDirectory is not null)
        {
            SwapDirectory(stagedDirectory, _directory!);
        }

        foreach (var (temp, final) in staged)
        {
            System.IO.File.Move(temp, final, overwrite: true);
        }

        stdout.Write(_stdout.ToString());
        stdout.Flush();
    }

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
        if (System.IO.Directory.Exists(full))
        {
            // Two renames: the old output disappears only once the new one is complete.
            var old = TempBeside(full);
            System.IO.Directory.Move(full, old);
            System.IO.Directory.Move(staged, full);
            System.IO.Directory.Delete(old, recursive: true);
        }
        else
        {
            System.IO.Directory.Move(staged, full);
        }
    }

    private static void Cleanup(string? stagedDirectory, List<(string Temp, string Final)> staged)
    {
        if (stagedDirectory is not null && System.IO.Directory.Exists(stagedDirectory))
        {
            System.IO.Directory.Delete(stagedDirectory, recursive: true);
        }

        foreach (var (temp, _) in staged)
        {
            System.IO.File.Delete(temp);
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
