using System.Runtime.CompilerServices;

namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// Finds the repository (the folder holding <c>MeshFunctions.sln</c>) a test runs from: above the test binaries for an
/// in-tree build, above the working directory for <c>dotnet test</c> from the tree, and otherwise (with
/// <c>MF_ARTIFACTS</c>, where binaries and working directory live outside the tree) from where the compiler saw this
/// source file.
/// </summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "MeshFunctions.sln";

    /// <summary>The repository root, or a <see cref="TestDependencyMissingException"/> naming where it was looked for.</summary>
    public static string Root => TryFindRoot()
        ?? throw new TestDependencyMissingException($"{SolutionFile} not found above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or {SourceFile()}");

    /// <summary>The repository root, or null when none of the three places lies inside one.</summary>
    public static string? TryFindRoot() =>
        Above(AppContext.BaseDirectory) ?? Above(Environment.CurrentDirectory) ?? Above(Path.GetDirectoryName(SourceFile()));

    private static string? Above(string? start)
    {
        for (var directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
