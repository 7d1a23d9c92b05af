namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>
/// Golden outputs under <c>testassets/</c>. <c>UPDATE_GOLDEN=1</c> rewrites them deliberately (review the diff);
/// by default a missing or different file fails.
/// </summary>
internal static class Golden
{
    public static void Verify(string relative, string actual)
    {
        var path = Path.Combine(Repo.TestAssets, relative);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"missing golden file {path}; run with UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
