using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshFunctions.Core.Tests.RateLimiting;

/// <summary>
/// Does what Envoy does with a rendered rate-limit EnvoyFilter for one request: for each ratelimit HTTP
/// filter (its stage and domain), evaluate the route's <c>rate_limits</c> of that stage; an entry yields a
/// descriptor only when every action yields an entry (generic_key always; header_value_match when all
/// its header matchers match, as <c>expect_match</c> wants).
/// </summary>
internal static class EnvoyRateLimitSimulator
{
    public sealed record Descriptor(string Domain, IReadOnlyList<(string Key, string Value)> Entries);

    public static List<Descriptor> Descriptors(JsonObject envoyFilter, IReadOnlyDictionary<string, string> requestHeaders)
    {
        var headers = requestHeaders.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value, StringComparer.Ordinal);
        var patches = envoyFilter["spec"]!["configPatches"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var filters = patches.Where(p => (string?)p["applyTo"] == "HTTP_FILTER").Select(p => p["patch"]!["value"]!["typed_config"]!).ToList();
        var rateLimits = patches.Where(p => (string?)p["applyTo"] == "HTTP_ROUTE")
            .SelectMany(p => p["patch"]!["value"]!["route"]!["rate_limits"]!.AsArray())
            .Select(r => r!.AsObject())
            .ToList();
        var result = new List<Descriptor>();
        foreach (var filter in filters)
        {
            var stage = (int)filter["stage"]!;
            var domain = (string)filter["domain"]!;
            foreach (var rateLimit in rateLimits.Where(r => ((int?)r["stage"] ?? 0) == stage))
            {
                var entries = new List<(string, string)>();
                var complete = true;
                foreach (var action in rateLimit["actions"]!.AsArray().Select(a => a!.AsObject()))
                {
                    var entry = Evaluate(action, headers);
                    if (entry is null)
                    {
                        complete = false;
                        break;
                    }

                    entries.Add(entry.Value);
                }

                if (complete)
                {
                    result.Add(new Descriptor(domain, entries));
                }
            }
        }

        return result;
    }

    private static (string, string)? Evaluate(JsonObject action, Dictionary<string, string> headers)
    {
        if (action["generic_key"] is JsonObject generic)
        {
            return ((string?)generic["descriptor_key"] ?? "generic_key", (string)generic["descriptor_value"]!);
        }

        if (action["header_value_match"] is JsonObject hvm)
        {
            var expect = (bool?)hvm["expect_match"] ?? true;
            var all = hvm["headers"]!.AsArray().All(h => Matches(h!.AsObject(), headers));
            return all == expect ? ((string?)hvm["descriptor_key"] ?? "header_match", (string)hvm["descriptor_value"]!) : null;
        }

        throw new InvalidOperationException("action not simulated: " + action.ToJsonString());
    }

    private static bool Matches(JsonObject matcher, Dictionary<string, string> headers)
    {
        var name = (string)matcher["name"]!;
        var present = headers.TryGetValue(name, out var value);
        if (matcher["present_match"] is not null)
        {
            return present == (bool)matcher["present_match"]!;
        }

        if (!present)
        {
            return false;
        }

        var sm = matcher["string_match"]!.AsObject();
        if (sm["exact"] is JsonNode exact)
        {
            return value == (string)exact!;
        }

        if (sm["prefix"] is JsonNode prefix)
        {
            return value!.StartsWith((string)prefix!, StringComparison.Ordinal);
        }

        if (sm["safe_regex"] is JsonObject re)
        {
            // Envoy's safe_regex string matcher is a full match (RE2::FullMatch).
            var pattern = ((string)re["regex"]!).Replace("(?P<", "(?<", StringComparison.Ordinal);
            return Regex.IsMatch(value!, "^(?:" + pattern + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        throw new InvalidOperationException("string matcher not simulated: " + sm.ToJsonString());
    }
}
