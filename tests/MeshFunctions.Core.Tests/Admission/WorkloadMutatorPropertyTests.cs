using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class WorkloadMutatorPropertyTests
{
    private static readonly Gen<JsonObject?> PreStop = Gen.OneOf(
        Gen.Const(() => (JsonObject?)null),
        Gen.Int[0, 120].Select(n => (JsonObject?)Exec("sleep", N(n))),
        Gen.Int[0, 120].Select(n => (JsonObject?)Exec("/bin/sh", "-c", $"sleep {n} && kill 1")),
        Gen.Int[0, 120].Select(n => (JsonObject?)new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = n } }),
        Gen.Const(() => (JsonObject?)new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/stop", ["port"] = 8080 } }));

    private static readonly Gen<JsonObject> Container = Gen.Select(Gen.Int[0, 9], PreStop, (i, preStop) => Named("app" + i, preStop));

    private static readonly Gen<JsonObject> Workload = Gen.Select(
        Gen.Select(Gen.OneOf<string>("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"), Gen.OneOf<string?>(null, "enabled", "disabled", "on"), Gen.Bool),
        Gen.Select(Container.Array[1, 3], Gen.Int[-1, 2], PreStop, Gen.OneOf<int?>(null, 0, 30, 45, 400)),
        Gen.Select(Gen.OneOf<string?>(null, "{}", "{\"holdApplicationUntilProxyStarts\": false}", "concurrency: 2\nterminationDrainDuration: 20s"), Gen.Bool, Gen.OneOf<string?>(null, "true", "false")),
        (a, b, c) => Build(a.Item1, a.Item2, a.Item3, b.Item1, b.Item2, b.Item3, b.Item4, c.Item1, c.Item2, c.Item3));

    private static readonly Gen<InjectionOptions> Options = Gen.Select(
        Gen.OneOf<string?>(null, "canary"), Gen.Enum<NativeSidecarMode>(), Gen.Bool, Gen.Bool,
        (revision, native, hold, sleepAction) =>
        {
            var o = new InjectionOptions { Revision = revision, NativeSidecars = native, HoldApplicationUntilProxyStarts = hold, UseSleepAction = sleepAction, DefaultLocality = "r.z" };
            o.NodePoolLocalities["batch"] = "r1/z1/s1";
            return o;
        });

    [Fact]
    public void Mutate_RandomWorkloads_PatchReproducesResultAndSecondMutationIsEmpty()
    {
        Gen.Select(Workload, Options).Sample((workload, options) =>
        {
            var mutator = new WorkloadMutator(options);

            var first = mutator.Mutate(workload);
            var applied = (JsonObject)JsonPatch.Apply(workload, first.Patch)!;
            var second = mutator.Mutate(applied);

            Assert.True(first.Allowed, first.Reason);
            Assert.True(JsonNode.DeepEquals(first.Mutated, applied), YamlWriter.Write(workload));
            Assert.True(second.Patch.Count == 0, $"{JsonPatch.Serialize(second.Patch)} for\n{YamlWriter.Write(applied)}");
        }, iter: 1000);
    }

    [Fact]
    public void MutateOwned_RandomWorkloads_RecordedPatchMatchesTreeDiffAndCopyingMutate()
    {
        Gen.Select(Workload, Options).Sample((workload, options) =>
        {
            var mutator = new WorkloadMutator(options);
            var copy = mutator.Mutate(workload);
            var owned = mutator.MutateOwned((JsonObject)workload.DeepClone());
            var recorded = JsonPatch.Apply(workload, owned.Patch);
            var diffed = JsonPatch.Apply(workload, TreeDiff.Diff(workload, copy.Mutated));

            // The patch recorded from the rules' own writes gives what a diff of input and result gives, in both modes.
            Assert.True(JsonNode.DeepEquals(owned.Mutated, recorded), $"{JsonPatch.Serialize(owned.Patch)} for\n{YamlWriter.Write(workload)}");
            Assert.True(JsonNode.DeepEquals(diffed, recorded), YamlWriter.Write(workload));
            Assert.Equal(JsonPatch.Serialize(copy.Patch), JsonPatch.Serialize(owned.Patch));
            Assert.Equal(copy.Warnings, owned.Warnings);

            // Flip the workload label and mutate the stored result again ("flip the label, redeploy"): removals and
            // replacements of our own earlier writes are recorded as well.
            var flipped = (JsonObject)recorded!.DeepClone();
            var meta = (JsonObject)(flipped["metadata"] ??= new JsonObject());
            var labels = (JsonObject)(meta["labels"] ??= new JsonObject());
            labels["istio-injection"] = (string?)labels["istio-injection"] == "enabled" ? "disabled" : "enabled";
            var again = mutator.MutateOwned((JsonObject)flipped.DeepClone());
            Assert.True(JsonNode.DeepEquals(again.Mutated, JsonPatch.Apply(flipped, again.Patch)), $"{JsonPatch.Serialize(again.Patch)} for\n{YamlWriter.Write(flipped)}");
            Assert.True(JsonNode.DeepEquals(again.Mutated, JsonPatch.Apply(flipped, TreeDiff.Diff(flipped, again.Mutated))));
        }, iter: 1000);
    }

    [Fact]
    public void Mutate_RandomWorkloads_GracePeriodNeverLoweredAndProxyOutlastsApps()
    {
        Gen.Select(Workload, Options).Sample((workload, options) =>
        {
            var result = new WorkloadMutator(options).Mutate(workload);
            var spec = PodSpec(result.Mutated);
            var before = L(PodSpec(workload)["terminationGracePeriodSeconds"]);
            var after = L(spec["terminationGracePeriodSeconds"]) ?? 30;

            Assert.True(before is null || after >= before, YamlWriter.Write(result.Mutated));
            var proxy = ((spec["containers"] as JsonArray ?? []).Concat(spec["initContainers"] as JsonArray ?? []))
                .FirstOrDefault(c => (string?)c!["name"] == "istio-proxy");
            if (!result.Injected || Seconds(proxy?["lifecycle"]?["preStop"]) is not { } proxySeconds)
            {
                // Not injected, or a user-defined proxy preStop without a readable duration (kept as written).
                return;
            }

            foreach (var app in (spec["containers"] as JsonArray)!.Where(c => (string?)c!["name"] != "istio-proxy"))
            {
                Assert.True(proxySeconds > (Seconds(app!["lifecycle"]?["preStop"]) ?? 0), YamlWriter.Write(result.Mutated));
            }

            Assert.True(after >= proxySeconds, YamlWriter.Write(result.Mutated));
        }, iter: 1000);
    }

    [Fact]
    public void Mutate_ArbitrarilyShapedInput_AllowsOrDeniesButNeverThrows()
    {
        Gen.Select(Gen.OneOf<string>("Pod", "Deployment", "CronJob", "Job"), Junk(4)).Sample((kind, spec) =>
        {
            var workload = new JsonObject
            {
                ["apiVersion"] = kind switch { "Pod" => "v1", "Deployment" => "apps/v1", _ => "batch/v1" },
                ["kind"] = kind,
                ["metadata"] = new JsonObject { ["name"] = "w", ["labels"] = new JsonObject { ["istio-injection"] = "enabled" } },
                ["spec"] = spec,
            };

            var result = new WorkloadMutator(new InjectionOptions()).Mutate(workload);

            Assert.True(result.Allowed ? JsonNode.DeepEquals(result.Mutated, JsonPatch.Apply(workload, result.Patch)) : result.Reason!.Length > 0);
        }, iter: 3000);
    }

    private static Gen<JsonNode?> Junk(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Int[-5, 100].Select(i => (JsonNode?)i),
            Gen.OneOf<string>("sleep", "30", "sh", "-c", "sleep 5", "Always", "true", "istio-proxy", "{}", "x: [").Select(s => (JsonNode?)s),
            Gen.Bool.Select(b => (JsonNode?)b),
            Gen.Const(() => (JsonNode?)null));
        if (depth == 0)
        {
            return leaf;
        }

        var child = Junk(depth - 1);
        var key = Gen.OneOf<string>(
            "template", "spec", "jobTemplate", "metadata", "labels", "annotations", "containers", "initContainers", "name", "lifecycle",
            "preStop", "postStart", "exec", "command", "sleep", "seconds", "hostNetwork", "terminationGracePeriodSeconds", "restartPolicy",
            "nodeSelector", "proxy.istio.io/config", "sidecar.istio.io/status", "istio-injection");
        var obj = Gen.Select(key, child).Array[0, 5].Select(members =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in members)
            {
                o[k] = v;
            }

            return (JsonNode?)o;
        });
        var arr = child.Array[0, 3].Select(items => (JsonNode?)new JsonArray(items));
        return Gen.Frequency((1, leaf), (3, obj), (1, arr));
    }

    private static JsonObject PodSpec(JsonObject workload) => (string?)workload["kind"] switch
    {
        "Pod" => (JsonObject)workload["spec"]!,
        "CronJob" => (JsonObject)workload["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!,
        _ => (JsonObject)workload["spec"]!["template"]!["spec"]!,
    };

    private static JsonObject Build(
        string kind, string? injection, bool hostNetwork, JsonObject[] apps, int proxyShape, JsonObject? proxyPreStop,
        int? grace, string? proxyConfig, bool injected, string? native)
    {
        var spec = new JsonObject();
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
        }

        if (grace is { } g)
        {
            spec["terminationGracePeriodSeconds"] = g;
        }

        var containers = new JsonArray();
        var seen = new HashSet<string>();
        foreach (var app in apps.Where(a => seen.Add((string)a["name"]!)))
        {
            containers.Add(app);
        }

        spec["containers"] = containers;
        if (proxyShape == 1)
        {
            containers.Add(Named("istio-proxy", proxyPreStop));
        }
        else if (proxyShape == 2)
        {
            var init = Named("istio-proxy", proxyPreStop);
            init["restartPolicy"] = "Always";
            spec["initContainers"] = new JsonArray(init);
        }

        var annotations = new JsonObject();
        if (proxyConfig is not null)
        {
            annotations["proxy.istio.io/config"] = proxyConfig;
        }

        if (injected)
        {
            annotations["sidecar.istio.io/status"] = "{}";
        }

        if (native is not null)
        {
            annotations["sidecar.istio.io/nativeSidecar"] = native;
        }

        var labels = new JsonObject();
        if (injection is not null)
        {
            labels["istio-injection"] = injection;
        }

        var meta = new JsonObject { ["name"] = "w", ["namespace"] = "ns", ["labels"] = labels };
        if (kind == "Pod")
        {
            meta["annotations"] = annotations;
            return new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = meta, ["spec"] = spec };
        }

        var template = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations }, ["spec"] = spec };
        return kind switch
        {
            "CronJob" => new JsonObject
            {
                ["apiVersion"] = "batch/v1", ["kind"] = kind, ["metadata"] = meta,
                ["spec"] = new JsonObject { ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } } },
            },
            "Job" => new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = kind, ["metadata"] = meta, ["spec"] = new JsonObject { ["template"] = template } },
            _ => new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = meta, ["spec"] = new JsonObject { ["template"] = template } },
        };
    }

    private static JsonObject Named(string name, JsonObject? preStop)
    {
        var c = new JsonObject { ["name"] = name };
        if (preStop is not null)
        {
            c["lifecycle"] = new JsonObject { ["preStop"] = preStop.DeepClone() };
        }

        return c;
    }

    private static JsonObject Exec(params string[] command) =>
        new() { ["exec"] = new JsonObject { ["command"] = new JsonArray(command.Select(a => (JsonNode?)a).ToArray()) } };

    private static int? Seconds(JsonNode? preStop) =>
        preStop?["sleep"]?["seconds"] is { } sec ? (int)L(sec)!
        : preStop?["exec"]?["command"] is JsonArray cmd && string.Join(' ', cmd).Contains("sleep", StringComparison.Ordinal) ? int.Parse(Regex.Match(string.Join(' ', cmd), @"sleep (\d+)").Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

    private static long? L(JsonNode? n) => n is null ? null : long.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
