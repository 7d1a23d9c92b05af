using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

public sealed class ResourceWebhookTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Validate_InvalidRouter_Denied422WithFieldPathAndNoEvent()
    {
        var router = Objects.Router("checkout");
        router["spec"]!["protocol"] = "smtp";

        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("CREATE", router));

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(422, (int)response["status"]!["code"]!);
        Assert.Contains("spec.protocol", (string)response["status"]!["message"]!, StringComparison.Ordinal);
        Assert.Empty(_host.Events!.Events);
    }

    [Fact]
    public async Task Validate_ValidRouterCreate_AdmittedAndEventRecorded()
    {
        var (response, _) = await _host.PostAsync("/validate", Reviews.For("CREATE", Objects.Router("checkout")));

        Assert.True((bool)response["allowed"]!, (string?)response["status"]?["message"]);
        var e = Assert.Single(_host.Events!.Events);
        Assert.Equal(("Router", "shop", "checkout", "CREATE"), (e.Kind, e.Namespace, e.Name, e.Operation));
    }

    [Fact]
    public async Task Validate_DryRunRouter_NoEvent()
    {
        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("CREATE", Objects.Router("checkout"), dryRun: true));

        Assert.True((bool)response["allowed"]!);
        Assert.Empty(_host.Events!.Events);
    }

    [Fact]
    public async Task Validate_ManagedVirtualServiceEditedByPerson_Denied403()
    {
        var vs = Managed(Objects.VirtualService("reviews", "prod", "reviews"));

        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("UPDATE", vs, vs, user: "bob@example.com"));

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(403, (int)response["status"]!["code"]!);
        Assert.Contains("managed by MeshFunctions", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ManagedWithBreakGlass_AllowedWarnedAndAudited()
    {
        var vs = Managed(Objects.VirtualService("reviews", "prod", "reviews"));
        vs["metadata"]!["annotations"] = new JsonObject { ["meshfunctions.io/break-glass"] = "INC-42 rollback" };

        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("UPDATE", vs, vs, user: "bob@example.com"));

        Assert.True((bool)response["allowed"]!);
        Assert.Contains("INC-42 rollback", (string)response["auditAnnotations"]!["break-glass"]!, StringComparison.Ordinal);
        Assert.All(response["warnings"]!.AsArray(), w => Assert.True(((string)w!).Length <= 120));
    }

    [Fact]
    public async Task Validate_ManagedByController_Allowed()
    {
        var vs = Managed(Objects.VirtualService("reviews", "prod", "reviews"));

        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("UPDATE", vs, vs, user: WebhookHost.ControllerUser));

        Assert.True((bool)response["allowed"]!);
    }

    [Fact]
    public async Task Validate_GrpcRouteRetryingUnavailable_Denied()
    {
        _host.Api.Seed(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"pay","namespace":"shop"},"spec":{"ports":[{"name":"grpc","port":9000}]}}
            """)!.AsObject());
        var cache = (Cache.ClusterCache)_host.Services.GetService(typeof(Cache.ClusterCache))!;
        await WebhookHost.WaitUntilAsync(() => cache.Services.Current.All.Count > 0, "the Service to reach the cache");
        var vs = Objects.VirtualService("pay", "shop", "pay");
        vs["spec"]!["http"]![0]!["retries"] = new JsonObject { ["attempts"] = 3, ["retryOn"] = "unavailable,connect-failure" };

        var (response, _) = await _host.PostAsync("/validate/resources", Reviews.For("CREATE", vs));

        Assert.False((bool)response["allowed"]!);
        Assert.Contains("spec.http[0].retries.retryOn", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    private static JsonObject Managed(JsonObject obj)
    {
        obj["metadata"]!["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "meshfunctions" };
        return obj;
    }
}
