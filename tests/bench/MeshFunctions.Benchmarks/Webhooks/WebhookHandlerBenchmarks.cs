using System.Text;
using BenchmarkDotNet.Attributes;
using MeshFunctions.Benchmarks.Render;
using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks;
using MeshFunctions.Webhooks.Cache;
using MeshFunctions.Webhooks.Http;
using MeshFunctions.Webhooks.Observability;
using MeshFunctions.Webhooks.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Benchmarks.Webhooks;

/// <summary>
/// Handler-only cost of one pod-mutation and one VS-validation AdmissionReview (the real <c>AdmissionEndpoint</c> over
/// <c>WorkloadWebhook</c> / <c>SubsetWebhook</c> with 10,000 DestinationRules in the cache,
/// no TLS, no Kestrel) against the empty handler of <c>tests/bench/webhooks</c> (<c>EmptyAdmission</c>: reads the body, echoes the uid), and
/// the core mutator alone. Shows where a request's time goes beyond the HTTP stack the two endpoints share.
/// Run: <c>dotnet run -c Release --project tests/bench/MeshFunctions.Benchmarks -- --filter '*WebhookHandler*'</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class WebhookHandlerBenchmarks
{
    private byte[] _body = [];
    private AdmissionEndpoint _endpoint = null!;
    private AdmissionEndpoint _subsets = null!;
    private byte[] _vsBody = [];
    private WorkloadWebhook _webhook = null!;
    private WorkloadMutator _mutator = null!;
    private System.Text.Json.Nodes.JsonObject _pod = null!;
    private System.Text.Json.JsonDocument _podDocument = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(WebhookInputs.PodReview);
        var options = Options.Create(new WebhookOptions());
        _mutator = new WorkloadMutator(options.Value.Injection);
        var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var cache = new ClusterCache(client, TimeProvider.System, options, NullLogger<ClusterCache>.Instance);
        var metrics = new WebhookMetrics(Prometheus.Metrics.NewCustomRegistry());
        _webhook = new WorkloadWebhook(_mutator, cache);
        _endpoint = new AdmissionEndpoint(_webhook, metrics, options, TimeProvider.System, NullLogger<AdmissionEndpoint>.Instance);
        _pod = System.Text.Json.Nodes.JsonNode.Parse(WebhookInputs.Pod)!.AsObject();
        _podDocument = System.Text.Json.JsonDocument.Parse(WebhookInputs.Pod);
        for (var i = 0; i < 10000; i++)
        {
            cache.DestinationRules.Upsert(WebhookInputs.DestinationRule(i));
        }

        _subsets = new AdmissionEndpoint(new SubsetWebhook(cache, options), metrics, options, TimeProvider.System, NullLogger<AdmissionEndpoint>.Instance);
        _vsBody = Encoding.UTF8.GetBytes(WebhookInputs.VirtualServiceReview);
        if (Environment.GetEnvironmentVariable("MF_PROBE") is { } count)
        {
            // Profiling aid (e.g. under perf): MF_PROBE=<n> runs n warm-up and n measured requests of one endpoint
            // (MF_PROBE_VS set: VS validation; MF_PROBE_EMPTY set: the empty handler) and exits, printing CPU time per request.
            Func<DefaultHttpContext, Task> probe = Environment.GetEnvironmentVariable("MF_PROBE_EMPTY") is not null
                ? c => MeshFunctions.Webhooks.Bench.EmptyAdmission.HandleAsync(c.Request.Body, c.Response.Body, type => c.Response.ContentType = type)
                : Environment.GetEnvironmentVariable("MF_PROBE_VS") is null ? _endpoint.HandleAsync : _subsets.HandleAsync;
            // MF_PROBE_MUTATED set: the pod endpoint with an already-mutated pod (nothing to do).
            var podBody = Environment.GetEnvironmentVariable("MF_PROBE_MUTATED") is null ? _body : Encoding.UTF8.GetBytes(WebhookInputs.MutatedPodReview);
            if (Environment.GetEnvironmentVariable("MF_PROBE_DECIDE") is not null)
            {
                // MF_PROBE_DECIDE set: core's decision alone (WorkloadMutator.Decide over the parsed pod), no HTTP, no review.
                using var pod = System.Text.Json.JsonDocument.Parse(Environment.GetEnvironmentVariable("MF_PROBE_MUTATED") is null ? WebhookInputs.Pod : WebhookInputs.MutatedPod);
                var element = pod.RootElement;
                ProbeCall(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), () => _mutator.Decide(element).Patch.Count, "decide");
            }

            if (Environment.GetEnvironmentVariable("MF_PROBE_READ") is not null)
            {
                // MF_PROBE_READ set: reading the pod review alone (the envelope scan, then the object parsed for the rules).
                ProbeCall(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), () => (int)MeshFunctions.Webhooks.Protocol.AdmissionReviewReader.Read(podBody, 100).ObjectJson!.Element.ValueKind, "read");
            }

            Probe(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), probe, Environment.GetEnvironmentVariable("MF_PROBE_VS") is null ? podBody : _vsBody);
        }
    }

    private static void Probe(int n, Func<DefaultHttpContext, Task> handle, byte[] body)
    {
        for (var i = 0; i < n; i++)
        {
            Complete(handle, body);
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        for (var i = 0; i < n; i++)
        {
            Complete(handle, body);
        }

        Console.WriteLine($"PROBE wall/op={sw.Elapsed.TotalMicroseconds / n:F1}us cpu/op={(Environment.CpuUsage.TotalTime - cpu0).TotalMicroseconds / n:F1}us "
            + $"allocated/op={(GC.GetTotalAllocatedBytes(precise: true) - allocated0) / n}B gen0={GC.CollectionCount(0) - gen0}");
        Environment.Exit(0);
    }

    private static void ProbeCall(int n, Func<int> decide, string what)
    {
        var sink = 0;
        for (var i = 0; i < n; i++)
        {
            sink += decide();
        }

        var cpu0 = Environment.CpuUsage.TotalTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < n; i++)
        {
            sink += decide();
        }

        Console.WriteLine($"PROBE {what} cpu/op={(Environment.CpuUsage.TotalTime - cpu0).TotalMicroseconds / n:F2}us "
            + $"allocated/op={(GC.GetTotalAllocatedBytes(precise: true) - allocated0) / n}B result={sink / (2 * n)}");
        Environment.Exit(0);
    }

    /// <summary>
    /// One request, its response completed as Kestrel completes it after the handler (an answer written to the response
    /// pipe is sent then). Over a <see cref="DefaultHttpContext"/> the pipe is a stream adapter made per context, which
    /// Kestrel does not have: the probe overstates the cost of writing through <c>BodyWriter</c>.
    /// </summary>
    private static void Complete(Func<DefaultHttpContext, Task> handle, byte[] body)
    {
        var context = Context(body);
        handle(context).GetAwaiter().GetResult();
        context.Response.CompleteAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public async Task<long> EmptyHandler()
    {
        var context = Context();
        await MeshFunctions.Webhooks.Bench.EmptyAdmission.HandleAsync(context.Request.Body, context.Response.Body, type => context.Response.ContentType = type);
        await context.Response.CompleteAsync();
        return context.Response.Body.Length;
    }

    [Benchmark]
    public async Task<long> PodMutationHandler()
    {
        var context = Context();
        await _endpoint.HandleAsync(context);
        await context.Response.CompleteAsync();
        return context.Response.Body.Length;
    }

    [Benchmark]
    public async Task<long> VsValidationHandler()
    {
        var context = Context(_vsBody);
        await _subsets.HandleAsync(context);
        await context.Response.CompleteAsync();
        return context.Response.Body.Length;
    }

    [Benchmark]
    public string ReadReviewOnly() => MeshFunctions.Webhooks.Protocol.AdmissionReviewReader.Read(_body, 100).Uid;

    [Benchmark]
    public async Task<int> ReadAndAdmit()
    {
        var request = MeshFunctions.Webhooks.Protocol.AdmissionReviewReader.Read(_body, 100);
        var outcome = await _webhook.AdmitAsync(request, CancellationToken.None);
        return outcome.Patch.Count;
    }

    [Benchmark]
    public int CoreMutateOnly() => _mutator.Mutate(_pod).Patch.Count;

    [Benchmark]
    public int CoreDecideFromDocument() => _mutator.Decide(_podDocument.RootElement).Patch.Count;

    private DefaultHttpContext Context() => Context(_body);

    private static DefaultHttpContext Context(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
