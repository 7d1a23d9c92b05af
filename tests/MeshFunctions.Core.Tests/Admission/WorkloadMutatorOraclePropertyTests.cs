using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Tests.Admission.Oracle;

namespace MeshFunctions.Core.Tests.Admission;

/// <summary>
/// The view-based <see cref="WorkloadMutator"/> (rules read through <c>IJsonView</c>, only patch operations emitted) against
/// the tree-editing mutator it replaced (<see cref="TreeWorkloadMutator"/>, kept as an oracle): on thousands of random
/// workloads of every kind and shape (both proxy shapes, existing lifecycles and preStops, annotations present, absent,
/// null or of the wrong type, explicit template choices, already-injected pods), read from a node tree (meshctl) and
/// from a parsed document (the webhook): the same operations, the same patched object, the same warnings and the same
/// denial; and the same again on the patched object (reinvocation).
/// </summary>
public sealed class WorkloadMutatorOraclePropertyTests
{
    private static readonly string[] Kinds = ["Pod", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "CronJob", "Service"];

    [Fact]
    public void Decide_RandomWorkloads_SameOperationsWarningsAndDenialsAsTheTreeMutator()
    {
        var counts = new int[3];
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var options = Options(random);
            var context = Context(random);
            var workload = Workload(random);
            var outcome = Compare(new WorkloadMutator(options), new TreeWorkloadMutator(options), workload, context);
            Interlocked.Increment(ref counts[outcome]);
        }, iter: 4000, threads: 1);

        // The generator reaches every path: denials, no-ops and patches.
        Assert.All(counts, c => Assert.True(c > 200, string.Join(", ", counts)));
    }

    [Fact]
    public void Decide_EscapedNamesAndValues_SameDecisionAsPlainText()
    {
        // The document view compares names and values in place (UTF-8 bytes): JSON escapes (\u0065 for 'e') in member
        // names and string values must read exactly as the plain text does.
        var escapedSome = 0;
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var mutator = new WorkloadMutator(Options(random));
            var context = Context(random);
            var text = Workload(random).ToJsonString();
            var escaped = EscapeInStrings(text, 'e');
            using var plainDocument = JsonDocument.Parse(text);
            using var escapedDocument = JsonDocument.Parse(escaped);

            var plain = mutator.Decide(plainDocument.RootElement, context);
            var fromEscaped = mutator.Decide(escapedDocument.RootElement, context);

            Assert.Equal(plain.Allowed, fromEscaped.Allowed);
            Assert.Equal(plain.Reason, fromEscaped.Reason);
            Assert.Equal(plain.Warnings, fromEscaped.Warnings);
            Assert.Equal(plain.Injected, fromEscaped.Injected);
            Assert.Equal(JsonPatch.Serialize(plain.Patch), JsonPatch.Serialize(fromEscaped.Patch));
            if (escaped != text)
            {
                Interlocked.Increment(ref escapedSome);
            }
        }, iter: 1000, threads: 1);

        Assert.True(escapedSome > 900, escapedSome.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>JSON text with every <paramref name="letter"/> inside a string (member names and values) written as a \u escape.</summary>
    private static string EscapeInStrings(string json, char letter)
    {
        var escape = "\\u" + ((int)letter).ToString("x4", CultureInfo.InvariantCulture);
        var result = new System.Text.StringBuilder(json.Length * 2);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString && c == '\\')
            {
                // An escape already there (\", \uXXXX): copied as it is.
                var length = json[i + 1] == 'u' ? 6 : 2;
                result.Append(json, i, length);
                i += length - 1;
                continue;
            }

            if (c == '"')
            {
                inString = !inString;
            }

            result.Append(inString && c == letter ? escape : c);
        }

        return result.ToString();
    }

    /// <summary>0 denied, 1 allowed without a patch, 2 allowed with a patch.</summary>
    private static int Compare(WorkloadMutator mutator, TreeWorkloadMutator oracle, JsonObject workload, MutationContext context)
    {
        var text = workload.ToJsonString();
        var expected = oracle.Mutate(workload, context);
        var fromTree = mutator.Mutate(workload, context);
        using var document = JsonDocument.Parse(text);
        var fromDocument = mutator.Decide(document.RootElement, context);

        Assert.True(expected.Allowed == fromTree.Allowed, $"allowed {fromTree.Allowed}, oracle {expected.Allowed} ({expected.Reason}) for\n{text}");
        Assert.Equal(expected.Reason, fromTree.Reason);
        Assert.Equal(expected.Reason, fromDocument.Reason);
        Assert.Equal(expected.Allowed, fromDocument.Allowed);
        Assert.Equal(expected.Warnings, fromTree.Warnings);
        Assert.Equal(expected.Warnings, fromDocument.Warnings);
        Assert.Equal(expected.Injected, fromTree.Injected);
        Assert.Equal(expected.Injected, fromDocument.Injected);
        if (!expected.Allowed)
        {
            Assert.Empty(fromDocument.Patch);
            Assert.True(JsonNode.DeepEquals(workload, fromTree.Mutated), "a denied workload comes back unchanged");
            return 0;
        }

        var patch = JsonPatch.Serialize(expected.Patch);
        Assert.True(patch == JsonPatch.Serialize(fromTree.Patch), $"tree view:\n{JsonPatch.Serialize(fromTree.Patch)}\noracle:\n{patch}\nfor\n{text}");
        Assert.Equal(patch, JsonPatch.Serialize(fromDocument.Patch));
        var patched = JsonPatch.Apply(workload, fromDocument.Patch)!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected.Mutated, patched), text);
        Assert.True(JsonNode.DeepEquals(expected.Mutated, fromTree.Mutated), text);
        Assert.True(JsonNode.DeepEquals(workload, JsonNode.Parse(text)), "the input is never modified");
        if (expected.Patch.Count == 0)
        {
            return 1;
        }

        // Reinvocation: the stored object comes back; both mutators agree on it too (usually: nothing to do).
        var again = oracle.Mutate(patched, context);
        using var patchedDocument = JsonDocument.Parse(patched.ToJsonString());
        var decided = mutator.Decide(patchedDocument.RootElement, context);
        Assert.Equal(again.Allowed, decided.Allowed);
        Assert.Equal(again.Warnings, decided.Warnings);
        Assert.Equal(JsonPatch.Serialize(again.Patch), JsonPatch.Serialize(decided.Patch));
        return 2;
    }

    private static InjectionOptions Options(Random r)
    {
        var o = new InjectionOptions
        {
            Revision = Pick(r, null, null, "canary"),
            NativeSidecars = Pick(r, NativeSidecarMode.Auto, NativeSidecarMode.Enabled, NativeSidecarMode.Disabled),
            HoldApplicationUntilProxyStarts = r.Next(4) != 0,
            UseSleepAction = r.Next(3) == 0,
            TerminationDrainSeconds = Pick(r, 5, 5, 0, 20),
            DefaultLocality = Pick(r, null, "r.z"),
        };
        o.NodePoolLocalities["batch"] = "r1/z1/s1";
        return o;
    }

    private static MutationContext Context(Random r) => new()
    {
        NamespaceLabels = r.Next(5) switch
        {
            0 => new Dictionary<string, string> { ["istio-injection"] = "enabled" },
            1 => new Dictionary<string, string> { ["istio-injection"] = "disabled" },
            2 => new Dictionary<string, string> { ["istio.io/rev"] = "other" },
            _ => null,
        },
        SelectedByService = Pick<bool?>(r, null, null, true, false),
        NodePool = Pick(r, null, null, "batch", "unknown"),
        NodeLabels = r.Next(4) == 0 ? new Dictionary<string, string> { ["topology.kubernetes.io/region"] = "eu", ["topology.kubernetes.io/zone"] = "eu-1" } : null,
    };

    private static JsonObject Workload(Random r)
    {
        var kind = Kinds[r.Next(Kinds.Length)];
        var apiVersion = kind switch
        {
            "Pod" or "Service" => "v1",
            "Job" or "CronJob" => "batch/v1",
            _ => "apps/v1",
        };
        var root = new JsonObject { ["apiVersion"] = r.Next(40) == 0 ? 1 : apiVersion, ["kind"] = kind };
        var pod = Pod(r, kind == "Pod");
        if (kind is "Pod")
        {
            foreach (var (k, v) in pod)
            {
                root[k] = v?.DeepClone();
            }

            return root;
        }

        root["metadata"] = Odd(r) ?? new JsonObject { ["name"] = "w", ["labels"] = Labels(r, workload: true) };
        var template = r.Next(30) == 0 ? Junk(r) : pod;
        root["spec"] = kind switch
        {
            "CronJob" => new JsonObject { ["schedule"] = "* * * * *", ["jobTemplate"] = r.Next(30) == 0 ? Junk(r) : new JsonObject { ["spec"] = new JsonObject { ["template"] = template } } },
            "Service" => new JsonObject { ["selector"] = new JsonObject { ["app"] = "w" } },
            _ => new JsonObject { ["template"] = template },
        };
        return root;
    }

    private static JsonObject Pod(Random r, bool bare)
    {
        var meta = new JsonObject { ["name"] = "p" };
        if (r.Next(8) != 0)
        {
            meta["labels"] = Odd(r) ?? Labels(r, workload: bare);
        }

        if (r.Next(6) != 0)
        {
            meta["annotations"] = Odd(r) ?? Annotations(r);
        }

        if (bare && r.Next(4) == 0)
        {
            meta["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = Pick(r, "Job", "ReplicaSet") });
        }

        var pod = new JsonObject();
        if (r.Next(10) != 0)
        {
            pod["metadata"] = r.Next(20) == 0 ? Odd(r) : meta;
        }

        if (r.Next(30) != 0)
        {
            pod["spec"] = r.Next(30) == 0 ? Junk(r) : Spec(r);
        }

        return pod;
    }

    private static JsonObject Labels(Random r, bool workload)
    {
        var labels = new JsonObject { ["app"] = "w" };
        Maybe(r, 3, labels, "istio-injection", () => Pick(r, "enabled", "enabled", "disabled", "on"));
        if (!workload || r.Next(2) == 0)
        {
            Maybe(r, 4, labels, "sidecar.istio.io/inject", () => Pick(r, "true", "false", "maybe"));
            Maybe(r, 5, labels, "istio.io/rev", () => Pick(r, "canary", "stable"));
            Maybe(r, 8, labels, "istio-locality", () => "r.z");
            Maybe(r, 8, labels, "topology.istio.io/locality", () => "r.z");
        }

        if (r.Next(25) == 0)
        {
            labels["bad"] = Pick<JsonNode?>(r, null, 5, true, new JsonObject());
        }

        return labels;
    }

    private static JsonObject Annotations(Random r)
    {
        var a = new JsonObject();
        Maybe(r, 2, a, "proxy.istio.io/config", () => Pick(
            r,
            "",
            " ",
            "{}",
            "{\"holdApplicationUntilProxyStarts\":true,\"terminationDrainDuration\":\"5s\"}",
            "{\"terminationDrainDuration\":\"5s\"}",
            "{\"holdApplicationUntilProxyStarts\": false}",
            "{\"concurrency\":2}",
            "concurrency: 2\nterminationDrainDuration: 20s",
            "x: [",
            "[1]",
            "{\"terminationDrainDuration\": 5}",
            "{\"holdApplicationUntilProxyStarts\": \"yes\"}"));
        Maybe(r, 8, a, "sidecar.istio.io/status", () => "{}");
        Maybe(r, 5, a, "sidecar.istio.io/nativeSidecar", () => Pick(r, "true", "false", "maybe"));
        Maybe(r, 4, a, "meshfunctions.io/injection-decision", () => Pick(r, "sidecar.istio.io/inject=true", "sidecar.istio.io/inject=false", "istio.io/rev=canary"));
        if (r.Next(30) == 0)
        {
            a["bad"] = Pick<JsonNode?>(r, null, 1);
        }

        return a;
    }

    private static JsonObject Spec(Random r)
    {
        var spec = new JsonObject();
        if (r.Next(8) == 0)
        {
            spec["hostNetwork"] = Pick<JsonNode?>(r, true, false, true, "yes");
        }

        if (r.Next(2) == 0)
        {
            spec["terminationGracePeriodSeconds"] = Pick<JsonNode?>(r, null, 0, 30, 45, 400, "30", JsonValue.Create(30.0), JsonNode.Parse("1e2"));
        }

        if (r.Next(5) == 0)
        {
            spec["nodeSelector"] = r.Next(10) == 0 ? new JsonObject { ["node-pool"] = 5 } : new JsonObject { ["node-pool"] = Pick(r, "batch", "other") };
        }

        if (r.Next(25) != 0)
        {
            var containers = new JsonArray();
            var n = r.Next(0, 4);
            for (var i = 0; i < n; i++)
            {
                containers.Add(Container(r, "app" + i));
            }

            if (r.Next(3) == 0)
            {
                containers.Add(Container(r, "istio-proxy"));
            }

            if (r.Next(40) == 0)
            {
                containers.Add(Pick<JsonNode?>(r, "x", new JsonObject { ["image"] = "no-name" }, new JsonObject { ["name"] = 3 }));
            }

            spec["containers"] = r.Next(30) == 0 ? Odd(r) : containers;
        }

        if (r.Next(3) == 0)
        {
            var inits = new JsonArray();
            if (r.Next(2) == 0)
            {
                var init = Container(r, "setup");
                Maybe(r, 2, init, "restartPolicy", () => "Always");
                inits.Add(init);
            }

            if (r.Next(3) != 0)
            {
                var proxy = Container(r, "istio-proxy");
                Maybe(r, 3, proxy, "restartPolicy", () => Pick(r, "Always", "Always", "Never"));
                inits.Add(proxy);
            }

            spec["initContainers"] = r.Next(40) == 0 ? null : inits;
        }

        return spec;
    }

    private static JsonObject Container(Random r, string name)
    {
        var c = new JsonObject { ["name"] = name, ["image"] = "x" };
        switch (r.Next(12))
        {
            case 0:
                c["lifecycle"] = null;
                break;
            case 1:
                c["lifecycle"] = r.Next(10) == 0 ? "x" : new JsonObject { ["postStart"] = PostStart(r) };
                break;
            case 2 or 3 or 4 or 5 or 6:
                var lifecycle = new JsonObject { ["preStop"] = PreStop(r) };
                if (r.Next(3) == 0)
                {
                    lifecycle["postStart"] = PostStart(r);
                }

                c["lifecycle"] = lifecycle;
                break;
        }

        return c;
    }

    private static JsonNode? PreStop(Random r) => r.Next(11) switch
    {
        0 => null,
        1 => Exec("sleep", N(r.Next(0, 120))),
        2 => Exec("/bin/sh", "-c", $"sleep {r.Next(0, 60)} && nginx -s quit; sleep 1.5"),
        3 => new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = r.Next(0, 120) } },
        4 => new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = Pick<JsonNode?>(r, "5", -1, JsonValue.Create(7.0)) } },
        5 => new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/stop", ["port"] = 8080 } },
        6 => new JsonObject(),
        7 => new JsonObject { ["exec"] = new JsonObject { ["command"] = "sleep 5" } },
        8 => Exec("sleep", Pick(r, "30s", "1m", "abc", "0.5")),
        9 => Exec("/usr/local/bin/drain", "--wait"),
        _ => new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("sleep", 12) } },
    };

    private static JsonNode? PostStart(Random r) => r.Next(5) switch
    {
        0 => null,
        1 => Exec("pilot-agent", "wait"),
        2 => Exec("pilot-agent", "wait", "--timeout=60s"),
        3 => new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("pilot-agent", "wait") }, ["x"] = 1 },
        _ => new JsonObject { ["httpGet"] = new JsonObject { ["port"] = 15020 } },
    };

    private static JsonObject Exec(params string[] command) =>
        new() { ["exec"] = new JsonObject { ["command"] = new JsonArray(command.Select(a => (JsonNode?)a).ToArray()) } };

    /// <summary>Now and then a value of the wrong shape (null, a string, a number, an array); otherwise null (use the normal value).</summary>
    private static JsonNode? Odd(Random r) => r.Next(25) == 0 ? Pick<JsonNode?>(r, "x", 3, new JsonArray()) : null;

    private static JsonNode? Junk(Random r) => Pick<JsonNode?>(r, null, "x", 3, new JsonArray(), new JsonObject());

    private static void Maybe(Random r, int oneIn, JsonObject target, string key, Func<JsonNode?> value)
    {
        if (r.Next(oneIn) == 0)
        {
            target[key] = value();
        }
    }

    private static T Pick<T>(Random r, params T[] values) => values[r.Next(values.Length)];

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
