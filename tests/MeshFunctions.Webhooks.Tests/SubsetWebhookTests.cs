using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

public sealed class SubsetWebhookTests : IAsyncLifetime
{
    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Validate_VirtualServiceToMissingSubset_Denied403NamingSubsetAndSafeOrder()
    {
        _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1"));

        var (response, _) = await _host.PostAsync("/validate/subsets", Reviews.For("CREATE", Objects.VirtualService("reviews", "prod", "reviews", "v1", "v2")));

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(403, (int)response["status"]!["code"]!);
        var message = (string)response["status"]!["message"]!;
        Assert.Contains("v2", message, StringComparison.Ordinal);
        Assert.Contains("Safe order", message, StringComparison.Ordinal);
        Assert.Null(response["patch"]);
        Assert.Null(response["patchType"]);
    }

    [Fact]
    public async Task Validate_DestinationRuleNotYetInCache_DirectReadAdmits()
    {
        // Seeded after the cache synced: whether or not the watch delivered it yet, the direct read finds it.
        _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1", "v2"));

        var (response, _) = await _host.PostAsync("/validate", Reviews.For("CREATE", Objects.VirtualService("reviews", "prod", "reviews", "v1", "v2")));

        Assert.True((bool)response["allowed"]!, (string?)response["status"]?["message"]);
    }

    [Fact]
    public async Task Validate_RootNamespaceRule_FoundByIstioLookupOrder()
    {
        _host.Api.Seed(Objects.DestinationRule("ratings", "istio-system", "ratings.prod.svc.cluster.local", "v1"));

        var (response, _) = await _host.PostAsync("/validate/subsets", Reviews.For("UPDATE", Objects.VirtualService("ratings", "shop", "ratings.prod.svc.cluster.local", "v1"), Objects.VirtualService("ratings", "shop", "ratings.prod.svc.cluster.local", "v1")));

        Assert.True((bool)response["allowed"]!, (string?)response["status"]?["message"]);
    }

    [Fact]
    public async Task Validate_DeleteDestinationRuleStillUsed_DeniedAfterWatchDelivers()
    {
        var dr = _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1"));
        _host.Api.Seed(Objects.VirtualService("reviews", "prod", "reviews", "v1"));
        var cache = (Cache.ClusterCache)_host.Services.GetService(typeof(Cache.ClusterCache))!;
        await WebhookHost.WaitUntilAsync(() => cache.VirtualServices.Current.All.Count == 1, "the VirtualService to reach the cache");

        var (response, _) = await _host.PostAsync("/validate/subsets", Reviews.For("DELETE", null, dr));

        Assert.False((bool)response["allowed"]!);
        Assert.Contains("still routes to subset(s) v1", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UpdateRemovingSubset_AllowedUntilAVirtualServiceUsesIt()
    {
        // The use index is derived from the cache snapshot: a VirtualService that arrives later is in the next answer.
        var dr = _host.Api.Seed(Objects.DestinationRule("reviews", "prod", "reviews", "v1", "v2"));
        _host.Api.Seed(Objects.VirtualService("reviews", "prod", "reviews", "v1"));
        var cache = (Cache.ClusterCache)_host.Services.GetService(typeof(Cache.ClusterCache))!;
        await WebhookHost.WaitUntilAsync(() => cache.VirtualServices.Current.All.Count == 1, "the first VirtualService to reach the cache");
        var withoutV2 = Objects.DestinationRule("reviews", "prod", "reviews", "v1");

        var (before, _) = await _host.PostAsync("/validate/subsets", Reviews.For("UPDATE", withoutV2, dr));
        _host.Api.Seed(Objects.VirtualService("canary", "prod", "reviews", "v2"));
        await WebhookHost.WaitUntilAsync(() => cache.VirtualServices.Current.All.Count == 2, "the second VirtualService to reach the cache");
        var (after, _) = await _host.PostAsync("/validate/subsets", Reviews.For("UPDATE", withoutV2, dr));

        Assert.True((bool)before["allowed"]!, (string?)before["status"]?["message"]);
        Assert.False((bool)after["allowed"]!);
        var message = (string)after["status"]!["message"]!;
        Assert.Contains("VirtualService prod/canary still routes to subset(s) v2 of host reviews.prod.svc.cluster.local", message, StringComparison.Ordinal);
        Assert.Contains("DestinationRule prod/reviews may not remove subsets that are in use", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DryRunDeleteOfUnusedRule_Allowed()
    {
        var dr = _host.Api.Seed(Objects.DestinationRule("old", "prod", "old", "v1"));

        var (response, _) = await _host.PostAsync("/validate/subsets", Reviews.For("DELETE", null, dr, dryRun: true));

        Assert.True((bool)response["allowed"]!);
    }
}
