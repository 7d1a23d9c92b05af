using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class RetryPolicyCheckTests
{
    private static readonly Router GrpcRouter = new()
    {
        Metadata = new ObjectMeta { Name = "orders", Namespace = "shop" },
        Spec = new RouterSpec { Port = 9090, Protocol = RouterProtocol.Grpc, Subsets = [new RouterSubset { Branch = "master" }] },
    };

    [Theory]
    [InlineData("unavailable", false)]
    [InlineData("connect-failure,cancelled", false)]
    [InlineData("connect-failure,refused-stream", true)]
    [InlineData("5xx,unavailable-not", true)]
    public void Check_GrpcRouterRoute_RiskyRetryOnDenied(string retryOn, bool allowed)
    {
        var vs = Vs("orders.shop.svc.cluster.local", $"retries: {{attempts: 2, retryOn: '{retryOn}'}}");

        var decision = RetryPolicyCheck.Check(vs, [GrpcRouter], []);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Contains("spec.http[0].retries.retryOn", decision.Message);
            Assert.Contains("host orders.shop.svc.cluster.local", decision.Message);
        }
    }

    [Fact]
    public void Check_WarnMode_AllowedWithWarning()
    {
        var vs = Vs("orders--master.shop.svc.cluster.local", "retries: {attempts: 2, retryOn: unavailable}");

        var decision = RetryPolicyCheck.Check(vs, [GrpcRouter], [], RetryPolicyMode.Warn);

        Assert.True(decision.Allowed);
        Assert.Contains(decision.Warnings, w => w.Contains("retries gRPC unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_GrpcServicePortName_DetectedWithoutRouter()
    {
        var service = (JsonObject)YamlReader.Read("""
            apiVersion: v1
            kind: Service
            metadata: {name: billing, namespace: shop}
            spec:
              ports:
              - {name: http-admin, port: 8080}
              - {name: grpc-api, port: 9090}
            """).Single().Root!;

        var onGrpcPort = RetryPolicyCheck.Check(Vs("billing", "retries: {attempts: 3, retryOn: cancelled}", port: 9090), [], [service]);
        var onHttpPort = RetryPolicyCheck.Check(Vs("billing", "retries: {attempts: 3, retryOn: cancelled}", port: 8080), [], [service]);

        Assert.False(onGrpcPort.Allowed);
        Assert.True(onHttpPort.Allowed);
    }

    [Fact]
    public void Check_GrpcRouteWithoutRetries_WarnsAboutIstioDefault()
    {
        var decision = RetryPolicyCheck.Check(Vs("orders.shop.svc.cluster.local", string.Empty), [GrpcRouter], []);

        Assert.True(decision.Allowed);
        Assert.Contains(decision.Warnings, w => w.Contains("uses Istio's default retryOn", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_RetriesDisabledOrHttpRoute_Allowed()
    {
        var disabled = RetryPolicyCheck.Check(Vs("orders.shop.svc.cluster.local", "retries: {attempts: 0, retryOn: unavailable}"), [GrpcRouter], []);
        var http = RetryPolicyCheck.Check(Vs("web.shop.svc.cluster.local", "retries: {attempts: 2, retryOn: unavailable}"), [GrpcRouter], []);

        Assert.True(disabled.Allowed);
        Assert.Empty(disabled.Warnings);
        Assert.True(http.Allowed);
        Assert.Empty(http.Warnings);
    }

    private static JsonObject Vs(string host, string retries, int? port = null)
    {
        var portText = port is { } p ? $", port: {{number: {p}}}" : string.Empty;
        return (JsonObject)YamlReader.Read($$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: v, namespace: shop}
            spec:
              hosts: [x]
              http:
              - route: [{destination: {host: {{{host}}}{{{portText}}}}}]
                {{{retries}}}
            """).Single().Root!;
    }
}
