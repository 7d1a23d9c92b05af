using System.Runtime.CompilerServices;

namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>Paths in the repository (found from this source file, so tests work whatever the output folder).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "infra", "samples");

    public static string Seed => Path.Combine(Samples, "seed");

    public static string Demo => Path.Combine(Samples, "demo");

    public static string Broken => Path.Combine(Samples, "broken");

    public static string TestAssets => Path.Combine(Root, "tests", "MeshFunctions.Cli.Tests", "testassets");

    /// <summary>The demo's files.</summary>
    public static string[] DemoFiles => Directory.GetFiles(Demo, "*.yaml").Order(StringComparer.Ordinal).ToArray();

    private static string FindRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
