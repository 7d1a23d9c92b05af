using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Tests.Protocol;

/// <summary>
/// The one-pass reader (<see cref="AdmissionReviewReader"/>, which keeps <c>object</c>/<c>oldObject</c> as bytes and parses
/// them only when read) against the full parser it replaced (<see cref="FullParseReviewReader"/>): on random reviews, valid
/// and broken (truncated, a member duplicated anywhere, wrong types, members removed, escaped names, nesting past the
/// depth limit, objects wider than the duplicate check's linear limit, with and without a duplicate), both accept the same bodies with the same fields and objects, and refuse the same bodies the same way.
/// </summary>
public sealed class AdmissionReviewReaderPropertyTests
{
    private const int MaxDepth = 32;
    private static readonly string[] Operations = ["CREATE", "UPDATE", "DELETE", "CONNECT", "PATCH"];

    [Fact]
    public void Read_RandomValidAndBrokenReviews_SameAnswerAsFullParser()
    {
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var review = Review(random);
            var (body, mutation) = Mutate(random, review);
            kinds[mutation] = kinds.GetValueOrDefault(mutation) + 1;
            var bytes = Encoding.UTF8.GetBytes(body);

            var fast = Outcome(() => ReadReview.From(AdmissionReviewReader.Read(bytes, MaxDepth)));
            var full = Outcome(() => FullParseReviewReader.Read(bytes, MaxDepth));

            var context = $"seed {seed} ({mutation}): fast {fast} vs full {full}\n{(body.Length > 600 ? body[..600] + "..." : body)}";
            Assert.True(fast.Read is null == full.Read is null, context);
            if (fast.Read is not null)
            {
                Assert.True(fast.Read == full.Read, context);
                // The endpoint's reading, whose objects borrow the body's bytes (parsed into pooled documents, returned when
                // the request is disposed): the same fields and objects.
                using var borrowed = AdmissionReviewReader.ReadBorrowing(bytes, MaxDepth);
                Assert.True(ReadReview.From(borrowed) == fast.Read, context);
                continue;
            }

            Assert.True(fast.Uid == full.Uid, context);
            var fastJson = fast.Message!.StartsWith("the body is not valid JSON", StringComparison.Ordinal);
            Assert.True(fastJson == full.Message!.StartsWith("the body is not valid JSON", StringComparison.Ordinal), context);
            if (!fastJson)
            {
                Assert.True(fast.Message == full.Message, context);
            }
            else if (mutation is "duplicate" or "wide-duplicate")
            {
                Assert.Contains("duplicate", fast.Message, StringComparison.Ordinal);
            }
        }

        // Every kind of input was generated, each many times.
        Assert.All(new[] { "valid", "truncate", "duplicate", "retype", "remove", "escape", "deep" }, k => Assert.True(kinds.GetValueOrDefault(k) > 100, k));
        Assert.All(new[] { "wide", "wide-duplicate" }, k => Assert.True(kinds.GetValueOrDefault(k) > 50, k));
    }

    private static (ReadReview? Read, string? Message, string? Uid) Outcome(Func<ReadReview> read)
    {
        try
        {
            return (read(), null, null);
        }
        catch (AdmissionReviewException ex)
        {
            return (null, ex.Message, ex.Uid);
        }
    }

    private static JsonObject Review(Random random)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "prod", ["labels"] = new JsonObject { ["app"] = "web", ["istio-injection"] = "enabled" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = random.Next(1, 5),
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "web:1", ["args"] = new JsonArray("a", 1, true, null) }),
                    },
                },
            },
        };
        var request = new JsonObject
        {
            ["uid"] = "uid-" + random.Next(1000),
            ["kind"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
            ["resource"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["resource"] = "deployments" },
            ["requestKind"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
            ["name"] = "web",
            ["namespace"] = "prod",
            ["operation"] = Operations[random.Next(Operations.Length)],
            ["userInfo"] = new JsonObject { ["username"] = "alice", ["groups"] = new JsonArray("system:authenticated") },
            ["object"] = random.Next(6) == 0 ? null : obj,
            ["oldObject"] = random.Next(2) == 0 ? null : obj.DeepClone(),
            ["dryRun"] = random.Next(2) == 0,
            ["options"] = new JsonObject { ["kind"] = "CreateOptions" },
        };
        if (random.Next(4) == 0)
        {
            request["subResource"] = "status";
        }

        var review = new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
        return random.Next(3) == 0 ? Shuffled(random, review) : review;
    }

    /// <summary>The same members in another order, all the way down.</summary>
    private static JsonObject Shuffled(Random random, JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj.OrderBy(_ => random.Next()).ToList())
        {
            result[key] = value is JsonObject child ? Shuffled(random, child) : value?.DeepClone();
        }

        return result;
    }

    private static (string Body, string Mutation) Mutate(Random random, JsonObject review)
    {
        var objects = new List<JsonObject>();
        Collect(review, objects);
        var target = objects[random.Next(objects.Count)];
        var key = target.Count == 0 ? null : target.ElementAt(random.Next(target.Count)).Key;
        switch (random.Next(8))
        {
            case 0:
                return (Write(review, null, null, escape: false), "valid");
            case 1:
                var whole = Write(review, null, null, escape: false);
                return (whole[..random.Next(whole.Length)], "truncate");
            case 2 when key is not null:
                return (Write(review, target, key, escape: false), "duplicate");
            case 3 when key is not null:
                target[key] = random.Next(6) switch
                {
                    0 => 7,
                    1 => new JsonArray(1, 2),
                    2 => new JsonObject { ["x"] = "y" },
                    3 => "text",
                    4 => null,
                    _ => false,
                };
                return (Write(review, null, null, escape: false), "retype");
            case 4 when key is not null:
                target.Remove(key);
                return (Write(review, null, null, escape: false), "remove");
            case 5:
                return (Write(review, null, null, escape: true, random), "escape");
            case 6 when key is not null:
                JsonNode deep = "bottom";
                for (var i = 0; i < random.Next(MaxDepth - 8, MaxDepth + 8); i++)
                {
                    deep = random.Next(2) == 0 ? new JsonObject { ["d"] = deep } : new JsonArray(deep);
                }

                target[key] = deep;
                return (Write(review, null, null, escape: false), "deep");
            case 7:
                // An object past the duplicate check's linear limit (24 members): names of few lengths, maybe one written
                // twice (usually among the later ones, which the check finds in its set), maybe \u-escaped.
                var width = random.Next(20, 60);
                for (var i = 0; i < width; i++)
                {
                    target["w" + i.ToString(CultureInfo.InvariantCulture)] = i;
                }

                var twice = random.Next(2) == 0 ? target.ElementAt(random.Next(target.Count)).Key : null;
                return (Write(review, twice is null ? null : target, twice, escape: random.Next(2) == 0, random), twice is null ? "wide" : "wide-duplicate");
            default:
                return (Write(review, null, null, escape: false), "valid");
        }
    }

    private static void Collect(JsonNode? node, List<JsonObject> objects)
    {
        if (node is JsonObject obj)
        {
            objects.Add(obj);
            foreach (var (_, value) in obj)
            {
                Collect(value, objects);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Collect(item, objects);
            }
        }
    }

    /// <summary>
    /// JSON text of <paramref name="node"/>, written by hand so that it can say what a serializer never would: member
    /// <paramref name="duplicateKey"/> of <paramref name="duplicateIn"/> written twice, or names with \u escapes.
    /// </summary>
    private static string Write(JsonNode? node, JsonObject? duplicateIn, string? duplicateKey, bool escape, Random? random = null)
    {
        var text = new StringBuilder();
        void Name(string name)
        {
            if (escape && random!.Next(3) == 0 && name.Length > 0)
            {
                text.Append("\"\\u").Append(((int)name[0]).ToString("x4", CultureInfo.InvariantCulture)).Append(name.AsSpan(1)).Append("\":");
            }
            else
            {
                text.Append(JsonSerializer.Serialize(name)).Append(':');
            }
        }

        void Value(JsonNode? value)
        {
            switch (value)
            {
                case JsonObject obj:
                    text.Append('{');
                    var first = true;
                    foreach (var (k, v) in obj)
                    {
                        var times = ReferenceEquals(obj, duplicateIn) && k == duplicateKey ? 2 : 1;
                        for (var t = 0; t < times; t++)
                        {
                            text.Append(first ? string.Empty : ",");
                            first = false;
                            Name(k);
                            Value(v);
                        }
                    }

                    text.Append('}');
                    break;
                case JsonArray array:
                    text.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        text.Append(i == 0 ? string.Empty : ",");
                        Value(array[i]);
                    }

                    text.Append(']');
                    break;
                case null:
                    text.Append("null");
                    break;
                default:
                    text.Append(value.ToJsonString());
                    break;
            }
        }

        Value(node);
        return text.ToString();
    }
}
