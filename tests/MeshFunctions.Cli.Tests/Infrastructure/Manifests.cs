namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>Small inputs used by several tests.</summary>
internal static class Manifests
{
    public const string Router = """
        apiVersion: router.service-mesh.zhihu.com/v1
        kind: Router
        metadata:
          name: orders
          namespace: shop
        spec:
          port: 8080
          protocol: http
          subsets:
          - branch: master
            versions:
              v1: 100

        """;

    /// <summary>The same Router with a second version at 10%.</summary>
    public const string RouterWithCanary = """
        apiVersion: router.service-mesh.zhihu.com/v1
        kind: Router
        metadata:
          name: orders
          namespace: shop
        spec:
          port: 8080
          protocol: http
          subsets:
          - branch: master
            versions:
              v1: 90
              v2: 10

        """;
}
