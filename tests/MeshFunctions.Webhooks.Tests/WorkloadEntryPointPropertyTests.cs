using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Protocol;
using MeshFunctions.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>
/// Random workloads through both entry points of the mutation rules: the webhook over HTTPS (its recorded patch applied
/// with Python's jsonpatch, an independent RFC 6902 implementation) and core's <see cref="WorkloadMutator.MutateOwned"/> as
/// <c>meshctl inject</c> calls it, with the same injection options. Same object, same warnings; a second pass of the
/// patched object (reinvocation) gives no patch.
/// </summary>
public sealed class WorkloadEntryPointPropertyTests : IAsyncLifetime
{
    private static readonly string[] Kinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

    private WebhookHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Mutate_RandomWorkloads_WebhookPatchGivesMeshctlInjectResultAndReinvocationIsEmpty()
    {
        var mutator = new WorkloadMutator(_host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Injection);
        var random = new Random(8);
        for (var i = 0; i < 40; i++)
        {
            var workload = RandomWorkload(random, i);
            var cli = mutator.MutateOwned((JsonObject)workload.DeepClone());

            var (first, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("CREATE", workload));

            var context = workload.ToJsonString();
            Assert.True((bool)first["allowed"]!, context);
            var patched = first["patch"] is { } p ? IndependentJsonPatch.Apply(workload, Encoding.UTF8.GetString(Convert.FromBase64String((string)p!))).AsObject() : workload;
            Assert.True(JsonNode.DeepEquals(cli.Mutated, patched), $"{context}\nwebhook: {patched.ToJsonString()}\nmeshctl: {cli.Mutated.ToJsonString()}");
            Assert.Equal(AdmissionReviewWriter.Warnings(cli.Warnings), (first["warnings"] as JsonArray ?? []).Select(w => (string)w!).ToList());

            var (second, _) = await _host.PostAsync("/mutate/workloads", Reviews.For("UPDATE", patched, patched));
            Assert.True(second["patch"] is null, $"{context}\nsecond pass patched: {second["patch"]}");
        }
    }

    private static JsonObject RandomWorkload(Random random, int index)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        var containers = new JsonArray();
        for (var c = 0; c < random.Next(1, 4); c++)
        {
            var container = new JsonObject { ["name"] = "app" + c, ["image"] = "x" };
            if (random.Next(3) == 0)
            {
                container["lifecycle"] = new JsonObject { ["preStop"] = new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("sleep", random.Next(0, 90).ToString(System.Globalization.CultureInfo.InvariantCulture)) } } };
            }

            containers.Add(container);
        }

        if (random.Next(4) == 0)
        {
            containers.Add(new JsonObject { ["name"] = "istio-proxy", ["lifecycle"] = new JsonObject { ["preStop"] = new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = random.Next(0, 90) } } } });
        }

        var spec = new JsonObject { ["containers"] = containers };
        if (random.Next(3) == 0)
        {
            spec["terminationGracePeriodSeconds"] = random.Next(0, 120);
        }

        var podLabels = new JsonObject { ["app"] = "w" + index };
        if (random.Next(4) == 0)
        {
            podLabels["sidecar.istio.io/inject"] = random.Next(2) == 0 ? "true" : "false";
        }

        var pod = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = podLabels }, ["spec"] = spec };
        if (random.Next(4) == 0)
        {
            pod["metadata"]!["annotations"] = new JsonObject { ["proxy.istio.io/config"] = "{\"concurrency\":2}" };
        }

        var labels = new JsonObject();
        if (random.Next(5) != 0)
        {
            labels["istio-injection"] = random.Next(3) == 0 ? "disabled" : "enabled";
        }

        var metadata = new JsonObject { ["name"] = "w" + index, ["namespace"] = "prop", ["labels"] = labels };
        return kind switch
        {
            "Pod" => new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = Merge(metadata, pod["metadata"]!.AsObject()), ["spec"] = spec.DeepClone() },
            "CronJob" => new JsonObject
            {
                ["apiVersion"] = "batch/v1", ["kind"] = kind, ["metadata"] = metadata,
                ["spec"] = new JsonObject { ["schedule"] = "* * * * *", ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = pod } } },
            },
            "Job" => new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = kind, ["metadata"] = metadata, ["spec"] = new JsonObject { ["template"] = pod } },
            _ => new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = metadata, ["spec"] = new JsonObject { ["template"] = pod } },
        };
    }

    /// <summary>A bare Pod's own metadata: the workload's name and labels plus the pod part's labels and annotations.</summary>
    private static JsonObject Merge(JsonObject workload, JsonObject podPart)
    {
        var merged = (JsonObject)workload.DeepClone();
        foreach (var (k, v) in podPart["labels"]!.AsObject())
        {
            merged["labels"]![k] = v?.DeepClone();
        }

        if (podPart["annotations"] is JsonObject annotations)
        {
            merged["annotations"] = annotations.DeepClone();
        }

        return merged;
    }
}
