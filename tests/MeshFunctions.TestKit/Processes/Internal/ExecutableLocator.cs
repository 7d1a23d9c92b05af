using System.Runtime.CompilerServices;

namespace MeshFunctions.TestKit.Processes.Internal;

/// <summary>Finds an executable from an environment variable, the repository's <c>.tools</c> folder, or PATH.</summary>
internal static class ExecutableLocator
{
    public static string? Find(string environmentVariable, string name, string? repositoryRelative = null)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        if (repositoryRelative is not null && RepositoryRoot() is { } root && Path.Combine(root, repositoryRelative) is var candidate
            && File.Exists(candidate))
        {
            return candidate;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The folder holding MeshFunctions.sln above the test binaries, if any.</summary>
    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        // `dotnet test` from the repository keeps the working directory inside it.
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        // With MF_ARTIFACTS the binaries and the test's working directory live outside the tree; the compiler
        // recorded where this source file was, which is inside it.
        for (var directory = new FileInfo(SourceFile()).Directory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MeshFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
