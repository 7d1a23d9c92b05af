namespace MeshFunctions.Infra.Tests;

/// <summary>Locates the repository (the folder holding MeshFunctions.sln) from the test binaries.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string Chart => Path.Combine(Root, "infra", "helm", "meshfunctions");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MeshFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MeshFunctions.sln not found above {AppContext.BaseDirectory}");
    }
}
