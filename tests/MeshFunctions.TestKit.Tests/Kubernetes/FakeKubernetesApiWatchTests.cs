using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

public sealed class FakeKubernetesApiWatchTests : FakeKubernetesApiTestBase
{
    private readonly Channel<(WatchEventType Type, V1Service Object)> _events = Channel.CreateUnbounded<(WatchEventType, V1Service)>();
    private readonly TaskCompletionSource<Exception> _error = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Watch_FromListResourceVersion_AddedModifiedDeletedInOrder()
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default");
        using var watcher = WatchServices(list.Metadata.ResourceVersion);

        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        created.Spec.Ports[0].Port = 81;
        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "default");
        await Client.CoreV1.DeleteNamespacedServiceAsync("web", "default");

        var events = await Next(3);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(created.Metadata.ResourceVersion, events[0].Object.Metadata.ResourceVersion);
        Assert.Equal(updated.Metadata.ResourceVersion, events[1].Object.Metadata.ResourceVersion);
        Assert.Equal(81, events[1].Object.Spec.Ports[0].Port);
        Assert.Equal(Api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), events[2].Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithCurrentObjectsAsAdded()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("a"), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("b"), "default");

        using var watcher = WatchServices(null);

        var events = await Next(2);
        Assert.Equal(["a", "b"], events.Select(e => e.Object.Metadata.Name));
        Assert.All(events, e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task Watch_TooOldResourceVersion_Error410Expired()
    {
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        Api.CompactHistory();

        using var watcher = WatchServices(created.Metadata.ResourceVersion);

        var error = Assert.IsType<KubernetesException>(await _error.Task.WaitAsync(Patience));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        await _closed.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Watch_EventLogCapacityExceeded_OldVersionExpires()
    {
        await using var small = await MeshFunctions.TestKit.Kubernetes.FakeKubernetesApi.StartAsync(new() { EventLogCapacity = 2 });
        using var client = small.CreateClient();
        var first = await client.CoreV1.CreateNamespacedServiceAsync(Service("a"), "default");
        await client.CoreV1.CreateNamespacedServiceAsync(Service("b"), "default");
        await client.CoreV1.CreateNamespacedServiceAsync(Service("c"), "default");
        await client.CoreV1.CreateNamespacedServiceAsync(Service("d"), "default");

        using var watcher = client.CoreV1.WatchListNamespacedService("default", resourceVersion: first.Metadata.ResourceVersion, onEvent: (_, _) => { }, onError: e => _error.TrySetResult(e));

        Assert.Equal(410, Assert.IsType<KubernetesException>(await _error.Task.WaitAsync(Patience)).Status.Code);
    }

    [Fact]
    public async Task Watch_DroppedStream_ClientWatchEnds()
    {
        using var watcher = WatchServices(null);
        await WaitUntil(() => Api.OpenWatchCount == 1);

        Assert.Equal(1, Api.DropWatches());

        await _closed.Task.WaitAsync(Patience);
        Assert.False(watcher.Watching);
    }

    [Fact]
    public async Task Watch_ClosedStream_ClientWatchEndsWithoutError()
    {
        // The client peeks the first line of a watch response and reports an error when the stream ends
        // before any line (as it would against a real server), so this watch sees one event first.
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("a"), "default");
        using var watcher = WatchServices(null);
        await Next(1);

        Api.CloseWatches();

        await _closed.Task.WaitAsync(Patience);
        if (_error.Task.IsCompleted)
        {
            Assert.Fail($"a clean close reported an error: {await _error.Task}");
        }
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_ServerEndsStream()
    {
        using var watcher = WatchServices(null, timeoutSeconds: 1);

        await _closed.Task.WaitAsync(Patience);
        Assert.Equal(0, Api.OpenWatchCount);
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectsMovingInAndOutAreAddedAndDeleted()
    {
        using var watcher = WatchServices(null, "app=web");
        await WaitUntil(() => Api.OpenWatchCount == 1);

        await Client.CoreV1.CreateNamespacedServiceAsync(Service("s", new Dictionary<string, string> { ["app"] = "db" }), "default");
        await Relabel("web");
        await Relabel("web2");

        var events = await Next(2);
        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Watch_Bookmarks_SentWhenAllowed()
    {
        using var watcher = WatchServices(null, bookmarks: true);
        await WaitUntil(() => Api.OpenWatchCount == 1);

        Api.SendBookmarks();

        var bookmark = Assert.Single(await Next(1));
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(Api.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task GenericClient_WatchNamespacedAsync_StreamsRouterEvents()
    {
        using var routers = new GenericClient(Client, RouterObject.Group, RouterObject.Version, RouterObject.Plural, disposeClient: false);
        await routers.CreateNamespacedAsync(RouterObject.Create("a"), "default");
        using var cancel = new CancellationTokenSource(Patience);
        var seen = new List<(WatchEventType, string)>();

        await foreach (var (type, router) in routers.WatchNamespacedAsync<RouterObject>("default", cancel: cancel.Token))
        {
            seen.Add((type, router.Metadata.Name));
            if (seen.Count == 1)
            {
                await routers.DeleteNamespacedAsync<RouterObject>("default", "a");
            }
            else
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Deleted, "a")], seen);
    }

    [Fact]
    public async Task ListWithWatchTrue_WatchExtension_SeesEvents()
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default");
#pragma warning disable CS0618 // the older list-then-Watch<T, TList> path is still what many callers use
        using var watcher = Client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync("default", watch: true, resourceVersion: list.Metadata.ResourceVersion)
            .Watch<V1Service, V1ServiceList>((type, item) => _events.Writer.TryWrite((type, item)));
#pragma warning restore CS0618

        await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");

        var added = Assert.Single(await Next(1));
        Assert.Equal((WatchEventType.Added, "web"), (added.Type, added.Object.Metadata.Name));
    }

    [Fact]
    public async Task WatchListAsync_AsyncEnumerable_SeesEventsInOrder()
    {
        var list = await Client.CoreV1.ListNamespacedServiceAsync("default");
        using var cancel = new CancellationTokenSource(Patience);
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("a"), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("b"), "default");
        var names = new List<string>();

        await foreach (var (_, service) in Client.CoreV1.WatchListNamespacedServiceAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cancel.Token))
        {
            names.Add(service.Metadata.Name);
            if (names.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["a", "b"], names);
    }

    [Fact]
    public async Task Watch_SingleObjectByFieldSelector_OnlyThatObject()
    {
        using var watcher = Client.CoreV1.WatchListNamespacedService(
            "default", fieldSelector: "metadata.name=b", onEvent: (type, item) => _events.Writer.TryWrite((type, item)));
        await WaitUntil(() => Api.OpenWatchCount == 1);

        await Client.CoreV1.CreateNamespacedServiceAsync(Service("a"), "default");
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("b"), "default");

        Assert.Equal("b", Assert.Single(await Next(1)).Object.Metadata.Name);
        Assert.False(_events.Reader.TryRead(out _));
    }

    private Watcher<V1Service> WatchServices(string? resourceVersion, string? labelSelector = null, bool? bookmarks = null, int? timeoutSeconds = null) =>
        Client.CoreV1.WatchListNamespacedService(
            "default",
            allowWatchBookmarks: bookmarks,
            labelSelector: labelSelector,
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            onEvent: (type, item) => _events.Writer.TryWrite((type, item)),
            onError: e => _error.TrySetResult(e),
            onClosed: () => _closed.TrySetResult());

    private Task Relabel(string app) =>
        Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}", V1Patch.PatchType.MergePatch), "s", "default");

    private async Task<List<(WatchEventType Type, V1Service Object)>> Next(int count)
    {
        using var cancel = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, V1Service)>();
        while (events.Count < count)
        {
            events.Add(await _events.Reader.ReadAsync(cancel.Token));
        }

        return events;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var cancel = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, cancel.Token);
        }
    }
}
