using System.Text.Json.Nodes;
using CsCheck;
using MeshFunctions.Cli.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Cli.Tests.Hostile;

/// <summary>Arbitrary YAML trees, shaped like manifests often enough to reach every kind's code: no command ever crashes.</summary>
public sealed class ArbitraryYamlPropertyTests
{
    private static readonly string[] ApiVersions = ["v1", "apps/v1", "batch/v1", "networking.istio.io/v1", "router.service-mesh.zhihu.com/v1", "filter.service-mesh.zhihu.com/v1", "ratelimit.service-mesh.zhihu.com/v1", "x/y"];
    private static readonly string[] Kinds = ["Service", "Deployment", "CronJob", "Pod", "Namespace", "List", "VirtualService", "DestinationRule", "Sidecar", "Router", "IstioFilter", "RateLimit", "Thing"];
    private static readonly string[] Keys = ["name", "namespace", "labels", "spec", "port", "protocol", "subsets", "branch", "versions", "items", "containers", "template", "metadata", "replicas", "hosts", "http", "route", "targetRef", "retries", "selector", "quota", "image", "ports", "x"];

    [Fact]
    public void EveryCommand_ArbitraryYamlTree_NeverCrashes()
    {
        Gen.Int.Sample(
            seed =>
            {
                var rng = new Random(seed);
                var documents = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => (JsonNode)Manifest(rng)).ToList();
                var yaml = YamlWriter.WriteDocuments(documents);
                foreach (var args in new[] { new[] { "render" }, ["inject"], ["check"], ["check", "-o", "json"], ["plan", "-", Repo.Seed, "--allow-empty"] })
                {
                    var run = MeshctlRun.WithStdin(yaml, args);
                    Assert.True(run.ExitCode is 0 or 1, $"{string.Join(' ', args)} on\n{yaml}\n{run}");
                    Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
                    Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
                }
            },
            iter: 80,
            threads: 1);
    }

    private static JsonObject Manifest(Random rng)
    {
        var obj = new JsonObject();
        if (rng.Next(10) > 0)
        {
            obj["apiVersion"] = rng.Next(8) > 0 ? ApiVersions[rng.Next(ApiVersions.Length)] : Value(rng, 0);
        }

        if (rng.Next(10) > 0)
        {
            obj["kind"] = rng.Next(8) > 0 ? Kinds[rng.Next(Kinds.Length)] : Value(rng, 0);
        }

        obj["metadata"] = rng.Next(6) > 0 ? new JsonObject { ["name"] = rng.Next(5) > 0 ? "n" + rng.Next(3) : Value(rng, 1), ["namespace"] = rng.Next(3) > 0 ? "shop" : Value(rng, 1) } : Value(rng, 1);
        obj["spec"] = Value(rng, 0);
        if (obj["kind"] is JsonValue kind && kind.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)kind == "List")
        {
            obj["items"] = new JsonArray([.. Enumerable.Range(0, rng.Next(3)).Select(_ => (JsonNode)Manifest(rng))]);
        }

        return obj;
    }

    private static JsonNode? Value(Random rng, int depth) => rng.Next(depth > 5 ? 5 : 8) switch
    {
        0 => null,
        1 => JsonValue.Create(rng.Next(-5, 200)),
        2 => JsonValue.Create(rng.Next(2) == 0),
        3 => JsonValue.Create(rng.Next(4) switch { 0 => "v1", 1 => "http", 2 => "", _ => "a'b<c>\"d\t" }),
        4 => JsonValue.Create(rng.NextDouble() * 100),
        5 or 6 => new JsonObject(Enumerable.Range(0, rng.Next(4)).Select(_ => Keys[rng.Next(Keys.Length)]).Distinct().Select(k => KeyValuePair.Create(k, Value(rng, depth + 1)))),
        _ => new JsonArray([.. Enumerable.Range(0, rng.Next(3)).Select(_ => Value(rng, depth + 1))]),
    };
}
