using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

public sealed class InjectCommandTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: orders
          namespace: shop
          labels:
            istio-injection: enabled
        spec:
          selector:
            matchLabels:
              app: orders
          template:
            metadata:
              labels:
                app: orders
            spec:
              containers:
              - name: orders
                image: orders:1

        """;

    [Fact]
    public void Inject_EnabledWorkload_PrintsTheSidecarLabel()
    {
        var run = MeshctlRun.WithStdin(Deployment, "inject");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sidecar.istio.io/inject: \"true\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("name: istio-proxy", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_WorkloadKindOfUnknownGroupWithScalarSpec_PassesItThrough()
    {
        var run = MeshctlRun.WithStdin("apiVersion: x/y\nkind: CronJob\nmetadata:\n  name: n1\n  namespace: shop\nspec: true\n", "inject");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("spec: true", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_ScalarsOfEveryType_AreWrittenBackUnchanged()
    {
        // Workloads are kept as compact JSON between reading and mutating: the scalars must survive that.
        var input = Deployment.Replace("image: orders:1", """
            image: orders:1
                    env:
                    - {name: ZIP, value: "0123"}
                    - {name: ANSWER, value: "yes"}
                    - {name: EMPTY, value: ""}
                    resources:
                      limits: {cpu: 1.5, memory: 3000000000}
            """, StringComparison.Ordinal);

        var run = MeshctlRun.WithStdin(input, "inject");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var expected in new[] { "value: \"0123\"", "value: \"yes\"", "value: \"\"", "cpu: 1.5", "memory: 3000000000", "image: orders:1" })
        {
            Assert.Contains(expected, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inject_Revision_PrintsTheRevisionLabelInstead()
    {
        var run = MeshctlRun.WithStdin(Deployment, "inject", "--revision", "canary");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("istio.io/rev: canary", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sidecar.istio.io/inject: \"true\"", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_Patch_PrintsJsonPatchOperations()
    {
        var run = MeshctlRun.WithStdin(Deployment, "inject", "--patch", "-o", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var doc = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!.AsArray());
        Assert.Equal("Deployment shop/orders", (string?)doc!["object"]);
        Assert.Contains(doc["patch"]!.AsArray(), op => ((string?)op!["path"])!.Contains("sidecar.istio.io~1inject", StringComparison.Ordinal));
    }

    [Fact]
    public void Inject_Demo_DisabledWorkloadIsPinnedOffAndNamespaceGetsDefaultSidecar()
    {
        var run = MeshctlRun.Invoke(["inject", .. Repo.DemoFiles, "--node-pool-locality", "batch=cn-north-1.cn-north-1b"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sidecar.istio.io/inject: \"false\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("istio-locality: cn-north-1.cn-north-1b", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("kind: Sidecar\nmetadata:\n  name: default\n  namespace: shop\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_BadOption_NamesTheOption()
    {
        var run = MeshctlRun.WithStdin(Deployment, "inject", "--revision", "Not_Valid");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("meshctl inject: --revision: 'Not_Valid' is not a valid revision", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("--revision", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_MalformedWorkload_Exit1WithFileLineNamingTheField()
    {
        var malformed = Deployment.Replace("      containers:\n      - name: orders\n        image: orders:1\n", "      containers: 5\n", StringComparison.Ordinal);

        var run = MeshctlRun.WithStdin(malformed, "inject");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Contains("<stdin>:17: error: Deployment shop/orders: spec.template.spec.containers: has the wrong type: expected a list, got the number 5", run.Stderr, StringComparison.Ordinal);
    }
}
