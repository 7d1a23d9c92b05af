using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MeshFunctions.Benchmarks.Render;
using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Benchmarks.Webhooks;

/// <summary>
/// Writing the pod-mutation answer alone (the AdmissionReview response with its base64 JSON Patch of the bench pod's four
/// operations) into a pooled buffer, against writing the empty handler's allowed answer the same way.
/// Run: <c>dotnet run -c Release --project tests/bench/MeshFunctions.Benchmarks -- --filter '*WebhookAnswer*'</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
public class WebhookAnswerBenchmarks
{
    private AdmissionOutcome _patched = null!;
    private AdmissionOutcome _allowed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mutator = new WorkloadMutator(new MeshFunctions.Webhooks.WebhookOptions().Injection);
        using var pod = JsonDocument.Parse(WebhookInputs.Pod);
        var decision = mutator.Decide(pod.RootElement);
        _patched = new AdmissionOutcome { Allowed = true, Patch = decision.Patch, Warnings = decision.Warnings };
        _allowed = AdmissionOutcome.Allow();
    }

    [Benchmark(Baseline = true)]
    public int AllowedAnswer() => Write(_allowed);

    [Benchmark]
    public int PatchedAnswer() => Write(_patched);

    private static int Write(AdmissionOutcome outcome)
    {
        using var buffer = new ArrayPoolBufferWriter();
        AdmissionReviewWriter.Write(buffer, "0b1c9a4e-bench", outcome, mutating: true);
        return buffer.WrittenCount;
    }
}
