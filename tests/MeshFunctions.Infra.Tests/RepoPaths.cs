using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Infra.Tests;

/// <summary>Paths inside the repository (found by the test kit's <see cref="RepositoryPaths"/>, also with MF_ARTIFACTS).</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() => RepositoryPaths.Root);

    public static string Root => RootPath.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string Chart => Path.Combine(Root, "infra", "helm", "meshfunctions");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
