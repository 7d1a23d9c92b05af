using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public void Check_BrokenDemo_Exit1NamingTheMissingSubsetAndTheWeights()
    {
        var run = MeshctlRun.Invoke("check", Repo.Broken);

        Assert.True(run.ExitCode == 1, run.ToString());
        var vs = Path.Combine(Repo.Broken, "virtualservice-missing-subset.yaml");
        Assert.Contains($"{vs}:32: error: VirtualService shop/ratings: spec.http[0].route[1].destination.subset: subset 'v2' is not defined", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("weights of branch 'master' must sum to 100, got 90", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 errors", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Demo_PassesWithoutErrors()
    {
        var run = MeshctlRun.Invoke(["check", .. Repo.DemoFiles]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("error:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RenderedVirtualServiceAndHandWrittenDestinationRule_AreCheckedTogether()
    {
        // The Router renders a VirtualService using subset v2; a hand-written DestinationRule for the same host lacks it.
        const string dr = """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: orders--master
              namespace: shop
            spec:
              host: orders--master.shop.svc.cluster.local
              subsets:
              - name: v1
                labels:
                  version: v1

            """;

        var run = MeshctlRun.WithStdin(Manifests.RouterWithCanary + dr, "check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is also rendered from Router shop/orders", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RiskyGrpcRetries_WarnsAndFailsOnlyWithWarningsAsErrors()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: search
              namespace: shop
            spec:
              selector:
                app: search
              ports:
              - name: grpc
                port: 9000
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: search
              namespace: shop
            spec:
              hosts:
              - search
              http:
              - route:
                - destination:
                    host: search
                retries:
                  attempts: 3
                  retryOn: unavailable,cancelled,connect-failure
              - route:
                - destination:
                    host: search.shop.svc.cluster.local

            """;

        var run = MeshctlRun.WithStdin(yaml, "check");
        var strict = MeshctlRun.WithStdin(yaml, "check", "--warnings-as-errors");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("<stdin>:27: warning: VirtualService shop/search: spec.http[0].retries.retryOn: 'unavailable,cancelled,connect-failure' retries gRPC unavailable/cancelled on host search.shop.svc.cluster.local", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("spec.http[1].retries: gRPC host search.shop.svc.cluster.local uses Istio's default retryOn", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
    }

    [Fact]
    public void Check_TwoSidecarsWithoutSelector_IsAnError()
    {
        const string yaml = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: default
              namespace: shop
            spec:
              egress:
              - hosts: ["./*"]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: wide-open
              namespace: shop
            spec:
              egress:
              - hosts: ["*/*"]

            """;

        var run = MeshctlRun.WithStdin(yaml, "check", "-o", "json");

        Assert.Equal(1, run.ExitCode);
        var finding = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!.AsArray());
        Assert.Equal("error", (string?)finding!["severity"]);
        Assert.Equal("Sidecar shop/wide-open", (string?)finding["subject"]);
        Assert.Equal(15, (int?)finding["line"]);
    }

    [Fact]
    public void Check_MalformedYaml_ReportsItAndStillChecksTheRest()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", "apiVersion: v1\nkind: [\n");

        var run = MeshctlRun.Invoke("check", bad, Repo.Broken);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{bad}:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("subset 'v2'", run.Stdout, StringComparison.Ordinal);
    }
}
