using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>10,000 malformed or mutated AdmissionReviews over HTTPS: never a 5xx, always a reason, valid reviews still served.</summary>
public sealed class FuzzTests
{
    private const int Cases = 10_000;

    [Fact]
    public async Task Post_TenThousandMutatedReviews_No5xxEachExplainedValidOnesServed()
    {
        await using var host = await WebhookHost.StartAsync(s => s["Webhooks:MaxRequestBytes"] = (512 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var seeds = new[]
        {
            Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled")),
            Reviews.For("UPDATE", Objects.VirtualService("v", "prod", "reviews", "v1"), Objects.VirtualService("v", "prod", "reviews", "v1")),
            Reviews.For("DELETE", null, Objects.DestinationRule("d", "prod", "reviews", "v1")),
            Reviews.For("CREATE", Objects.Namespace("n"), dryRun: true),
        };
        var paths = new[] { "/mutate", "/validate", "/mutate/workloads", "/validate/subsets", "/validate/resources", "/mutate/namespaces" };
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var next = -1;

        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Cases)
            {
                var random = new Random(i);
                var path = paths[random.Next(paths.Length)];
                if (i % 100 == 0)
                {
                    var valid = Reviews.For("CREATE", Objects.Deployment("ok", "prod", "enabled"));
                    var (response, _) = await host.PostAsync("/mutate/workloads", valid);
                    if (!(bool)response["allowed"]! || response["patch"] is null)
                    {
                        problems.Enqueue($"case {i}: valid review not served: {response.ToJsonString()}");
                    }

                    continue;
                }

                var body = Mutate(seeds[random.Next(seeds.Length)], random);
                using var http = await host.Client.PostAsync(path, new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } });
                var text = await http.Content.ReadAsStringAsync();
                if ((int)http.StatusCode >= 500 || text.Length == 0)
                {
                    problems.Enqueue($"case {i} ({path}): {(int)http.StatusCode} '{text}'");
                }
                else if (http.StatusCode == HttpStatusCode.OK && JsonNode.Parse(text)?["response"]?["uid"] is null)
                {
                    problems.Enqueue($"case {i} ({path}): 200 without response.uid: {text}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)));

        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(10)));
    }

    private static byte[] Mutate(JsonObject seed, Random random)
    {
        var review = (JsonObject)seed.DeepClone();
        review["request"]!["uid"] = Guid.NewGuid().ToString();
        switch (random.Next(8))
        {
            case 0:
                var text = Encoding.UTF8.GetBytes(review.ToJsonString());
                return text[..random.Next(text.Length)];
            case 1:
                review["request"]!.AsObject().Remove("uid");
                break;
            case 2:
                review["request"]!["kind"]!["kind"] = "Unknown" + random.Next(100);
                break;
            case 3:
                var deep = string.Concat(Enumerable.Repeat("[", 80 + random.Next(200))) + string.Concat(Enumerable.Repeat("]", 80 + random.Next(200)));
                return Encoding.UTF8.GetBytes(review.ToJsonString().Replace("\"dryRun\"", "\"x\":" + deep + ",\"dryRun\"", StringComparison.Ordinal));
            case 4:
                review["request"]!["object"] = new JsonObject { ["huge"] = new string('x', random.Next(700_000)) };
                break;
            default:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    ReplaceRandomNode(review, random);
                }

                break;
        }

        return Encoding.UTF8.GetBytes(review.ToJsonString());
    }

    private static void ReplaceRandomNode(JsonObject root, Random random)
    {
        var nodes = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null)
            {
                return;
            }

            nodes.Add(node);
            foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a.AsEnumerable(), _ => [] })
            {
                Walk(child);
            }
        }

        Walk(root);
        var target = nodes[random.Next(1, nodes.Count)];
        JsonNode? replacement = random.Next(7) switch
        {
            0 => null,
            1 => random.Next(),
            2 => "s" + random.Next(),
            3 => new JsonArray(1, "a", null),
            4 => new JsonObject { ["k"] = random.NextDouble() },
            5 => random.Next(2) == 0,
            _ => -1e300,
        };
        switch (target.Parent)
        {
            case JsonObject parent:
                var key = parent.First(p => ReferenceEquals(p.Value, target)).Key;
                if (random.Next(4) == 0)
                {
                    parent.Remove(key);
                }
                else
                {
                    parent[key] = replacement;
                }

                break;
            case JsonArray array:
                array[array.IndexOf(target)] = replacement;
                break;
        }
    }
}
