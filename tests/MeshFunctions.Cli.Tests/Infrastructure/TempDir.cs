namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>A fresh directory deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "meshctl-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var file = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>Every file under <paramref name="dir"/> with its content, for "unchanged" assertions.</summary>
    public static SortedDictionary<string, string> Snapshot(string dir)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(dir))
        {
            foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            {
                map[System.IO.Path.GetRelativePath(dir, f)] = File.ReadAllText(f);
            }
        }

        return map;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder must not fail a test
        }
    }
}
