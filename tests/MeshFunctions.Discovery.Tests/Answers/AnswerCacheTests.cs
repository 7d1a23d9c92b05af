using System.Net;
using System.Text;
using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Cluster;
using MeshFunctions.Discovery.Observability;
using MeshFunctions.Discovery.Tests.Cluster;
using MeshFunctions.Discovery.Upstream;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MeshFunctions.Discovery.Tests.Answers;

/// <summary>
/// The per-view answer cache against a fresh computation: random sequences of Kubernetes changes, upstream answers
/// (new index, same index with other bytes, 4xx refusals), the rollback switch, Kubernetes outages and the clock moving,
/// interleaved with lookups from mesh, legacy and unknown callers; every cached answer must equal, byte for byte and
/// header for header, the answer computed now from the current state without the cache.
/// </summary>
public sealed class AnswerCacheTests : IDisposable
{
    private static readonly string[] CallerIps = [.. ClusterChanges.Ips, "10.9.9.9"];

    private readonly FakeTimeProvider _time = new();
    private readonly DiscoveryOptions _options = new() { UpstreamAddress = new Uri("http://127.0.0.1:9") };
    private readonly HttpClient _http = new();
    private readonly UpstreamViewCache _views;
    private readonly DeadlineWheel _deadlines;
    private readonly ClusterState _cluster;
    private readonly AnswerService _answers;
    private readonly ConsulUpstreamClient _client;
    private readonly DiscoveryMetrics _metrics = new(Prometheus.Metrics.NewCustomRegistry());

    public AnswerCacheTests()
    {
        var options = Options.Create(_options);
        _client = new ConsulUpstreamClient(_http, options);
        _views = new UpstreamViewCache(_client, options, _time, _metrics);
        _deadlines = new DeadlineWheel(_time);
        _cluster = new ClusterState(_time);
        _answers = new AnswerService(_cluster, _views, options, _time, _metrics, new NoMeshAnswerObserver(), _deadlines);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 20)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ComputeService_RandomChangesAndLookups_EqualsAFreshComputation(int seed)
    {
        var changes = new ClusterChanges(seed);
        var random = changes.Random;
        // One view per service, never started: the test publishes upstream's answers itself.
        var views = ClusterChanges.Names.ToDictionary(name => name, name => new UpstreamView("/v1/health/service/" + name, null, _client, _options, _time, _metrics));
        ulong upstreamIndex = 10;
        var lookups = 0;
        for (var step = 0; step < 250; step++)
        {
            switch (random.Next(10))
            {
                case < 5:
                    changes.Apply(_cluster);
                    break;
                case < 8:
                    upstreamIndex += (ulong)random.Next(0, 2);
                    views[ClusterChanges.Names[random.Next(ClusterChanges.Names.Length)]].Apply(Upstream(random, upstreamIndex));
                    break;
                case 8:
                    _cluster.MarkConnected(ResourceKind.Pod, random.Next(2) == 0);
                    break;
                default:
                    _time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 5000)));
                    break;
            }

            // Each lookup twice in a row: the second is served from the cache whenever the first could be cached.
            for (var i = 0; i < 6; i++)
            {
                var service = ClusterChanges.Names[random.Next(ClusterChanges.Names.Length)];
                var ip = random.Next(6) == 0 ? null : CallerIps[random.Next(CallerIps.Length)];
                var query = new ServiceQuery((ServiceEndpoint)random.Next(3), service, ip is null ? null : IPAddress.Parse(ip), random.Next(3) == 0, random.Next(5) != 0);
                for (var again = 0; again < 2; again++)
                {
                    AssertSame(Fresh(query, views[service]), _answers.ComputeService(query, views[service]));
                    lookups++;
                }
            }
        }

        Assert.Equal(250 * 12, lookups);
        Assert.Contains(views.Values, view => !view.Answers.IsEmpty);
    }

    [Fact]
    public void ComputeService_SameStateTwice_ReusesTheAnswerAndANewSnapshotDoesNot()
    {
        _cluster.Upsert(ResourceKind.Pod, "shop", "caller", new PodInfo("10.0.0.1", new Core.Discovery.CallerState("shop", "app", true, 3)));
        _cluster.Upsert(ResourceKind.Router, "shop", "web", new RouterInfo(8080, false, 4));
        _cluster.Upsert(ResourceKind.Service, "shop", "web", new ServiceInfo("10.96.0.1", [8080], 5));
        _cluster.Upsert(ResourceKind.EndpointSlice, "shop", "web-1", new SliceInfo("web", 1, 6));
        var view = new UpstreamView("/v1/health/service/web", null, _client, _options, _time, _metrics);
        view.Apply(new UpstreamResult(200, "[]"u8.ToArray(), "application/json", 20, true, 0));
        var query = new ServiceQuery(ServiceEndpoint.Health, "web", IPAddress.Parse("10.0.0.1"), false, true);

        var first = _answers.ComputeService(query, view)!;
        Assert.Same(first, _answers.ComputeService(query, view));
        Assert.Equal(Core.Discovery.AnswerKind.Mesh, first.Kind);

        view.Apply(new UpstreamResult(200, "[]"u8.ToArray(), "application/json", 21, true, 0));
        var second = _answers.ComputeService(query, view)!;
        Assert.NotSame(first, second);
        Assert.Equal(first.Index + 1, second.Index);
    }

    public void Dispose()
    {
        _views.Dispose();
        _http.Dispose();
    }

    private static UpstreamResult Upstream(Random random, ulong index)
    {
        if (random.Next(8) == 0)
        {
            return new UpstreamResult(400, Encoding.UTF8.GetBytes("Failed to parse filter"), "text/plain; charset=utf-8", index, true, 0);
        }

        var instances = Enumerable.Range(0, random.Next(4)).Select(i =>
            $$"""{"Node":{"Node":"n{{i}}","Address":"10.0.1.{{i}}"},"Service":{"ID":"web-{{i}}","Tags":["v{{random.Next(3)}}"],"Port":8080},"ServiceTags":["v{{random.Next(3)}}"],"Checks":[]}""");
        return new UpstreamResult(200, Encoding.UTF8.GetBytes("[" + string.Join(',', instances) + "]"), "application/json", index, random.Next(5) != 0, random.Next(3) * 10);
    }

    private Answer? Fresh(ServiceQuery query, UpstreamView view)
    {
        var caller = query.Caller is { } ip ? _cluster.FindCallerLocked(ip.ToString()) : null;
        var target = query.LocalDatacenter ? _cluster.FindTargetLocked(query.Service, caller?.Namespace) : null;
        return _answers.ComputeService(query, view.Snapshot, caller, target, _cluster.Switch);
    }

    private static void AssertSame(Answer? expected, Answer? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(
            (expected.Status, expected.Kind, expected.Index, expected.IndexText, expected.KnownLeader, expected.LastContactMs, expected.ContentType),
            (actual.Status, actual.Kind, actual.Index, actual.IndexText, actual.KnownLeader, actual.LastContactMs, actual.ContentType));
        Assert.Equal(Encoding.UTF8.GetString(expected.Body), Encoding.UTF8.GetString(actual.Body));
    }
}
