using System.Buffers;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Limiting;

/// <summary>
/// Answers one ShouldRateLimit call: validates it, matches each descriptor against the current
/// config, applies <c>replaces</c>, asks the backend about every counter at once, and builds the
/// response (statuses in request order, overall OK or OVER_LIMIT, optional headers, metrics).
/// </summary>
internal sealed partial class RateLimitEngine
{
    private readonly RuleSetStore _store;
    private readonly IRateLimitBackend _backend;
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly MetricLabelCache _labels;

    public RateLimitEngine(RuleSetStore store, IRateLimitBackend backend, IOptions<RlsOptions> options, RlsMetrics metrics, TimeProvider time)
    {
        _store = store;
        _backend = backend;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _labels = new MetricLabelCache(metrics, _options.MaxMetricLabelSets);
    }

    public async ValueTask<RateLimitResponse> ShouldRateLimitAsync(RateLimitRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var rules = _store.Current ?? throw new RlsRequestException(StatusCode.Unavailable, "no rate limit configuration is loaded");
        var response = new RateLimitResponse { OverallCode = RateLimitResponse.Types.Code.Ok };
        var count = request.Descriptors.Count;
        if (!rules.Domains.TryGetValue(request.Domain, out var domain))
        {
            _metrics.DomainNotFound.Inc();
            for (var i = 0; i < count; i++)
            {
                response.Statuses.Add(new RateLimitResponse.Types.DescriptorStatus { Code = RateLimitResponse.Types.Code.Ok });
            }

            _metrics.OkCalls.Inc();
            return response;
        }

        var nodes = new RuleNode?[count];
        var matched = Match(request, domain, nodes);
        var checks = ArrayPool<CounterCheck>.Shared.Rent(Math.Max(1, matched.Count));
        var results = ArrayPool<CounterResult>.Shared.Rent(Math.Max(1, matched.Count));
        try
        {
            var checkCount = PrepareChecks(request, nodes, matched, checks);
            if (checkCount > 0)
            {
                var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
                await _backend.CheckAsync(checks.AsMemory(0, checkCount), results.AsMemory(0, checkCount), nowMs, cancellationToken).ConfigureAwait(false);
            }

            BuildStatuses(request, domain.Domain, nodes, matched, checks, results, response);
        }
        finally
        {
            ArrayPool<CounterCheck>.Shared.Return(checks);
            ArrayPool<CounterResult>.Shared.Return(results);
        }

        if (_options.ResponseHeadersEnabled)
        {
            AddHeaders(response);
        }

        if (_options.ResponseDynamicMetadata)
        {
            AddDynamicMetadata(request, nodes, response);
        }

        (response.OverallCode == RateLimitResponse.Types.Code.OverLimit ? _metrics.OverLimitCalls : _metrics.OkCalls).Inc();
        return response;
    }

    private List<MatchedLimit> Match(RateLimitRequest request, CompiledDomain domain, RuleNode?[] nodes)
    {
        var matched = new List<MatchedLimit>(request.Descriptors.Count);
        HashSet<string>? replaced = null;
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var descriptor = request.Descriptors[i];
            if (descriptor.Limit is { } limitOverride)
            {
                matched.Add(new MatchedLimit { Descriptor = i, Limit = OverrideLimit(limitOverride, i) });
                continue;
            }

            var node = domain.Match(descriptor.Entries);
            nodes[i] = node;
            if (node is null)
            {
                continue;
            }

            foreach (var limit in node.Limits)
            {
                matched.Add(new MatchedLimit { Descriptor = i, Limit = limit });
                if (limit.Replaces.Length > 0)
                {
                    replaced ??= new HashSet<string>(StringComparer.Ordinal);
                    replaced.UnionWith(limit.Replaces);
                }
            }
        }

        if (replaced is not null)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(matched);
            for (var i = 0; i < span.Length; i++)
            {
                span[i].Dropped = span[i].Limit.Name is { } name && replaced.Contains(name);
            }
        }

        return matched;
    }

    private int PrepareChecks(RateLimitRequest request, RuleNode?[] nodes, List<MatchedLimit> matched, CounterCheck[] checks)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(matched);
        var checkCount = 0;
        string? baseKey = null;
        var baseKeyOwner = -1;
        for (var i = 0; i < span.Length; i++)
        {
            ref var m = ref span[i];
            m.Check = -1;
            if (m.Dropped || m.Limit.Unlimited)
            {
                continue;
            }

            var descriptor = request.Descriptors[m.Descriptor];
            if (baseKeyOwner != m.Descriptor)
            {
                baseKey = CounterKeys.Base(request.Domain, descriptor, nodes[m.Descriptor]);
                baseKeyOwner = m.Descriptor;
            }

            var hits = descriptor.HitsAddend is { } perDescriptor
                ? (long)Math.Min(perDescriptor, uint.MaxValue)
                : request.HitsAddend == 0 ? 1 : request.HitsAddend;
            m.Check = checkCount;
            checks[checkCount++] = new CounterCheck(baseKey + m.Limit.KeySuffix, m.Limit.Algorithm, m.Limit.RequestsPerUnit, m.Limit.WindowMs, hits);
        }

        return checkCount;
    }
}
