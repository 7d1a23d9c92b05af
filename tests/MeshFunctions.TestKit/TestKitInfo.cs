namespace MeshFunctions.TestKit;

/// <summary>Shared stand-ins for the Kubernetes API, Consul and the Functions host (see README.md in this folder).</summary>
public static class TestKitInfo
{
    public const string Name = "MeshFunctions.TestKit";
}
