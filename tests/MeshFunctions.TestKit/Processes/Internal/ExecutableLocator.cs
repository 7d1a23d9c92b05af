namespace MeshFunctions.TestKit.Processes.Internal;

/// <summary>Finds an executable from an environment variable, the repository's <c>.tools</c> folder, or PATH.</summary>
internal static class ExecutableLocator
{
    public static string? Find(string environmentVariable, string name, string? repositoryRelative = null)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } configured)
        {
            // A relative path is read from the repository root (as written in the README), then from here: tests run
            // in their own bin/ folder, where `.tools/...` does not exist.
            if (!Path.IsPathRooted(configured) && RepositoryPaths.TryFindRoot() is { } repository && Path.Combine(repository, configured) is var fromRoot
                && File.Exists(fromRoot))
            {
                return fromRoot;
            }

            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        if (repositoryRelative is not null && RepositoryPaths.TryFindRoot() is { } root && Path.Combine(root, repositoryRelative) is var candidate
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
}
