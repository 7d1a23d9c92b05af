using System.Runtime.InteropServices;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>
/// A temporary directory laid out like a Kubernetes ConfigMap volume: files are symlinks
/// <c>name → ..data/name</c>, <c>..data</c> is a symlink to a timestamped folder, and an update
/// writes a new folder and renames a fresh <c>..data_tmp</c> link over <c>..data</c> (atomic swap).
/// </summary>
public sealed partial class ConfigMapDirectory : IDisposable
{
    private int _generation;
    private string? _current;

    public ConfigMapDirectory(IReadOnlyDictionary<string, string> files)
    {
        Path = Directory.CreateTempSubdirectory("rls-config-").FullName;
        Swap(files);
    }

    public string Path { get; }

    public void Swap(IReadOnlyDictionary<string, string> files)
    {
        var folder = System.IO.Path.Combine(Path, $"..2026_11_25_00_00_{_generation++:D2}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(folder, name), text);
        }

        var tmp = System.IO.Path.Combine(Path, "..data_tmp");
        File.CreateSymbolicLink(tmp, System.IO.Path.GetFileName(folder));
        // rename(2) replaces the old link atomically, as the kubelet does; File.Move would follow the link.
        if (rename(tmp, System.IO.Path.Combine(Path, "..data")) != 0)
        {
            throw new IOException($"rename failed: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var name in files.Keys)
        {
            var link = System.IO.Path.Combine(Path, name);
            if (new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, System.IO.Path.Combine("..data", name));
            }
        }

        if (_current is not null)
        {
            Directory.Delete(_current, recursive: true);
        }

        _current = folder;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not affect other tests.
        }
    }
}
