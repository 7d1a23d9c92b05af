using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using MeshFunctions.Benchmarks.Render;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Istio;

namespace MeshFunctions.Benchmarks.Webhooks;

/// <summary>
/// One DestinationRule UPDATE that removes a subset, against 10,000 live VirtualServices and 10,000 live DestinationRules
/// (the webhook bench's cache): decided with indexes built for the request from the live lists (what the webhook did
/// before: every VirtualService walked, every rule indexed twice) against the shared per-snapshot indexes the webhook
/// keeps now (only the VirtualServices routing to the rule's host are looked at).
/// Run: <c>dotnet run -c Release --project tests/bench/MeshFunctions.Benchmarks -- --filter '*DestinationRuleCheck*'</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class DestinationRuleCheckBenchmarks
{
    private const int Count = 10_000;
    private List<JsonObject> _services = [];
    private List<JsonObject> _rules = [];
    private VirtualServiceUseIndex _uses = null!;
    private DestinationRuleIndex _index = null!;
    private JsonObject _old = null!;
    private JsonObject _new = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rules = Enumerable.Range(0, Count).Select(WebhookInputs.DestinationRule).ToList();
        _services = Enumerable.Range(0, Count).Select(i => JsonNode.Parse(WebhookInputs.VirtualService
            .Replace("vs1", "vs" + i, StringComparison.Ordinal)
            .Replace("svc1.ns1", $"svc{i}.ns{i % 200}", StringComparison.Ordinal)
            .Replace("\"ns1\"", $"\"ns{i % 200}\"", StringComparison.Ordinal))!.AsObject()).ToList();
        _uses = new VirtualServiceUseIndex(_services, "cluster.local");
        _index = new DestinationRuleIndex(_rules, "cluster.local", "istio-system");
        _old = _rules[1];
        _new = _old.DeepClone().AsObject();
        _new["spec"]!["subsets"]!.AsArray().RemoveAt(1);
        if (Decide().Allowed || PerRequest().Allowed)
        {
            throw new InvalidOperationException("the bench update must be denied (VirtualService vs1 uses subset v2)");
        }
    }

    [Benchmark(Baseline = true)]
    public AdmissionDecision PerRequest() => SubsetGuard.Check(AdmissionOperation.Update, _old, _new, _services, _rules);

    [Benchmark]
    public AdmissionDecision SharedIndexes() => Decide();

    private AdmissionDecision Decide() => SubsetGuard.CheckDestinationRule(_old, _new, _uses, _index);
}
