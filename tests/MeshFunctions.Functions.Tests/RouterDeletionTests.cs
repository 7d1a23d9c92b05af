using k8s;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;
using MeshFunctions.Functions.Reconciliation;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Functions.Tests;

/// <summary>A deleted Router: its finalizer holds it until the reconciler removed its Istio objects make-before-break.</summary>
public sealed class RouterDeletionTests
{
    [Fact]
    public async Task MeshConfigEvent_RouterDeleted_RemovesItsIstioObjectsThenTheFinalizer()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();
        await app.DeployAsync(1, DeployAction.Deployed, "v1");
        await app.DeployAsync(2, DeployAction.Deployed, "v2");
        Assert.Contains(RouterReconciler.Finalizer, app.Get("routers", "shop", "checkout")!["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.NotNull(app.Get("virtualservices", "shop", "checkout"));

        using var client = app.Api.CreateClient();
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Router.Group, "v1", "shop", "routers", "checkout");
        var marked = app.Get("routers", "shop", "checkout");
        Assert.NotNull(marked?["metadata"]?["deletionTimestamp"]);

        await app.ConfigChangedAsync("Router", "checkout", "deleted");
        await app.RunUntilIdleAsync();

        Assert.Null(app.Get("routers", "shop", "checkout"));
        Assert.Null(app.Get("virtualservices", "shop", "checkout"));
        Assert.Null(app.Get("destinationrules", "shop", "checkout--master"));
        var last = app.Api.Writes.Last(w => w.Type.Plural is "routers" or "virtualservices" or "destinationrules");
        Assert.Equal((KubeWriteVerb.Delete, "routers"), (last.Verb, last.Type.Plural));
        app.AssertNoMissingSubsetEver();
    }
}
