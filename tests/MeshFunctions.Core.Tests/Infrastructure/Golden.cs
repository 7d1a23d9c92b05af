using System.Runtime.CompilerServices;

namespace MeshFunctions.Core.Tests.Infrastructure;

/// <summary>
/// Golden files: <c>testassets/&lt;suite&gt;/&lt;case&gt;/input.yaml</c> → <c>expected.yaml</c>.
/// Set <c>UPDATE_GOLDEN=1</c> to rewrite expected files deliberately (then review the diff); never by default.
/// </summary>
public static class Golden
{
    public static string AssetsRoot([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile))!, "testassets");

    /// <summary>The case folders of a suite, for a <c>[MemberData]</c> theory.</summary>
    public static TheoryData<string> Cases(string suite)
    {
        var data = new TheoryData<string>();
        var dir = Path.Combine(AssetsRoot(), suite);
        foreach (var c in Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(c!);
        }

        return data;
    }

    public static string ReadInput(string suite, string @case, string file = "input.yaml") =>
        File.ReadAllText(Path.Combine(AssetsRoot(), suite, @case, file));

    /// <summary>Asserts <paramref name="actual"/> equals the expected file (rewrites it when UPDATE_GOLDEN=1).</summary>
    public static void Verify(string suite, string @case, string actual, string file = "expected.yaml")
    {
        var path = Path.Combine(AssetsRoot(), suite, @case, file);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"missing golden file {path}; run with UPDATE_GOLDEN=1 once and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
