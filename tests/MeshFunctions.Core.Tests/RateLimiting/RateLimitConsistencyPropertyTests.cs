using System.Text.RegularExpressions;
using CsCheck;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.RateLimiting;

/// <summary>
/// For random sets of RateLimits: a request to a workload is counted against exactly the limits of the
/// RateLimits on that workload whose header conditions it meets — judged independently from the spec —
/// once Envoy's actions (simulated) and the RLS tree (matched) have done their parts.
/// </summary>
public sealed class RateLimitConsistencyPropertyTests
{
    // Conditions with a header value that meets them.
    private static readonly (RateLimitHeaderMatch Match, string Sample)[] Conditions =
    [
        (new() { Key = ":path", MatchType = HeaderMatchType.Exact, Value = "/x" }, "/x"),
        (new() { Key = ":path", MatchType = HeaderMatchType.Prefix, Value = "/api/" }, "/api/v1"),
        (new() { Key = "x-user", MatchType = HeaderMatchType.Regex, Value = "u-[0-9]+" }, "u-42"),
        (new() { Key = "x-flag", MatchType = HeaderMatchType.Present }, "1"),
        (new() { Key = ":method", MatchType = HeaderMatchType.Exact, Value = "GET" }, "GET"),
        (new() { Key = "X-Tenant", MatchType = HeaderMatchType.Prefix, Value = "acme" }, "acme-eu"),
    ];

    private static readonly Gen<RateLimitSpec> Spec = Gen.Select(
        Gen.OneOf<string>("a", "b"),
        Gen.OneOf<string>("ns1", "ns2"),
        Gen.OneOf<string>("", ":80", ":8080"),
        Gen.Int[0, Conditions.Length - 1].Array[0, 3],
        Gen.Int[0, 10],
        Gen.Int[0, 2],
        (svc, ns, port, picks, quota, stage) => new RateLimitSpec
        {
            Hosts = [$"{svc}.{ns}{port}"],
            Match = new RateLimitMatch { Headers = [.. picks.Select(i => Conditions[i].Match).DistinctBy(m => m.Key)] },
            Quota = quota,
            Stage = stage,
        });

    [Fact]
    public void Render_AnyRateLimits_RequestsHitExactlyTheLimitsWhoseConditionsHold()
    {
        Spec.Array[1, 5].Sample(specs =>
        {
            var rateLimits = specs.Select((s, i) => new RateLimit { Metadata = new ObjectMeta { Name = "r" + i, Namespace = "ns1" }, Spec = s }).ToList();
            var result = RateLimitRenderer.Render(rateLimits);
            Assert.Empty(result.Diagnostics);

            foreach (var target in rateLimits)
            {
                var request = target.Spec.Match.Headers.ToDictionary(h => h.Key, h => Conditions.First(c => c.Match == h).Sample);
                var host = RateLimitHost.TryParse(target.Spec.Hosts[0], "ns1", "cluster.local", out _)!;
                var filter = result.EnvoyFilters.Single(f => (string?)f["metadata"]!["namespace"] == host.Namespace && (string?)f["metadata"]!["name"] == "ratelimit-" + host.Service);

                var actual = EnvoyRateLimitSimulator.Descriptors(filter, request)
                    .Select(d => (Node: RlsTreeMatcher.Match(result.RlsConfig, d.Domain, d.Entries), Host: d.Entries[0].Value))
                    .Select(m => Assert.Single(m.Node!.Limits).Name + "@" + m.Host)
                    .Order(StringComparer.Ordinal);
                var expected = rateLimits
                    .Select(r => (Id: "ns1/" + r.Metadata.Name, Host: RateLimitHost.TryParse(r.Spec.Hosts[0], "ns1", "cluster.local", out _)!, r.Spec))
                    .Where(r => r.Host.Namespace == host.Namespace && r.Host.Service == host.Service && r.Spec.Match.Headers.All(h => Holds(h, request)))
                    .Select(r => r.Id + "@" + r.Host.Canonical)
                    .Order(StringComparer.Ordinal);

                Assert.Equal(expected, actual);
            }
        }, iter: 200);
    }

    private static bool Holds(RateLimitHeaderMatch match, Dictionary<string, string> request)
    {
        var found = request.FirstOrDefault(p => string.Equals(p.Key, match.Key, StringComparison.OrdinalIgnoreCase));
        if (found.Key is null)
        {
            return false;
        }

        return match.MatchType switch
        {
            HeaderMatchType.Present => true,
            HeaderMatchType.Exact => found.Value == match.Value,
            HeaderMatchType.Prefix => found.Value.StartsWith(match.Value!, StringComparison.Ordinal),
            _ => Regex.IsMatch(found.Value, "^(?:" + match.Value + ")$", RegexOptions.None, TimeSpan.FromSeconds(1)),
        };
    }
}
