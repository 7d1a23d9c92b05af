using System.Collections.Concurrent;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;
using MeshFunctions.Rls.Backends;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Observability;

namespace MeshFunctions.Rls.Limiting;

internal sealed partial class RateLimitEngine
{
    private readonly ConcurrentDictionary<string, RuleMetrics> _overrideMetrics = new(StringComparer.Ordinal);

    private void BuildStatuses(RateLimitRequest request, string domain, RuleNode?[] nodes, List<MatchedLimit> matched, CounterCheck[] checks, CounterResult[] results, RateLimitResponse response)
    {
        var m = 0;
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var over = false;
            var hasUnlimited = false;
            var deciding = -1;
            var node = nodes[i];
            var shadow = _options.GlobalShadowMode || (node?.ShadowMode ?? false);
            for (; m < matched.Count && matched[m].Descriptor == i; m++)
            {
                var match = matched[m];
                if (match.Dropped)
                {
                    continue;
                }

                if (match.Check < 0)
                {
                    hasUnlimited |= match.Limit.Unlimited;
                    continue;
                }

                var result = results[match.Check];
                Count(domain, request.Descriptors[i], node, match.Limit, checks[match.Check].Hits, result, shadow);
                if (!result.Admitted)
                {
                    if (!over)
                    {
                        deciding = m;
                    }

                    over = true;
                }
                else if (!over && (deciding < 0 || result.Remaining < results[matched[deciding].Check].Remaining))
                {
                    deciding = m;
                }
            }

            var status = new RateLimitResponse.Types.DescriptorStatus { Code = RateLimitResponse.Types.Code.Ok };
            if (deciding >= 0)
            {
                var limit = matched[deciding].Limit;
                var result = results[matched[deciding].Check];
                status.Code = over && !shadow ? RateLimitResponse.Types.Code.OverLimit : RateLimitResponse.Types.Code.Ok;
                status.CurrentLimit = new RateLimitResponse.Types.RateLimit
                {
                    Name = limit.Name ?? string.Empty,
                    RequestsPerUnit = limit.RequestsPerUnit,
                    Unit = limit.ResponseUnit,
                };
                status.LimitRemaining = (uint)Math.Clamp(result.Remaining, 0, uint.MaxValue);
                status.DurationUntilReset = new Duration { Seconds = result.ResetMs / 1000, Nanos = (int)(result.ResetMs % 1000) * 1_000_000 };
            }
            else if (hasUnlimited)
            {
                status.LimitRemaining = uint.MaxValue;
            }

            if (status.Code == RateLimitResponse.Types.Code.OverLimit)
            {
                response.OverallCode = RateLimitResponse.Types.Code.OverLimit;
            }

            response.Statuses.Add(status);
        }
    }

    private void Count(string domain, RateLimitDescriptor descriptor, RuleNode? node, CompiledLimit limit, long hits, CounterResult result, bool shadow)
    {
        var metrics = limit.Metrics
            ?? (node is { DetailedMetric: true }
                ? new RuleMetrics(_metrics, domain, CounterKeys.DetailedPath(descriptor), limit.Name ?? "0")
                : _overrideMetrics.GetOrAdd(domain, d => new RuleMetrics(_metrics, d, "_override", "override")));
        metrics.TotalHits.Inc(hits);
        if (result.Admitted)
        {
            metrics.WithinLimit.Inc(hits);
            if (result.Used > (long)Math.Floor(limit.RequestsPerUnit * _options.NearLimitRatio))
            {
                metrics.NearLimit.Inc(hits);
            }
        }
        else
        {
            metrics.OverLimit.Inc(hits);
            if (shadow)
            {
                metrics.ShadowMode.Inc(hits);
            }
        }
    }

    /// <summary>Headers for the status closest to its limit: the first one over it, else the lowest remaining.</summary>
    private void AddHeaders(RateLimitResponse response)
    {
        RateLimitResponse.Types.DescriptorStatus? pick = null;
        foreach (var status in response.Statuses)
        {
            if (status.CurrentLimit is null)
            {
                continue;
            }

            if (pick is null
                || (status.Code == RateLimitResponse.Types.Code.OverLimit && pick.Code != RateLimitResponse.Types.Code.OverLimit)
                || (pick.Code != RateLimitResponse.Types.Code.OverLimit && status.LimitRemaining < pick.LimitRemaining))
            {
                pick = status;
            }
        }

        if (pick is null)
        {
            return;
        }

        var reset = (long)Math.Ceiling(pick.DurationUntilReset.ToTimeSpan().TotalSeconds);
        response.ResponseHeadersToAdd.Add(new HeaderValue { Key = _options.LimitHeader, Value = pick.CurrentLimit.RequestsPerUnit.ToString(CultureInfo.InvariantCulture) });
        response.ResponseHeadersToAdd.Add(new HeaderValue { Key = _options.RemainingHeader, Value = pick.LimitRemaining.ToString(CultureInfo.InvariantCulture) });
        response.ResponseHeadersToAdd.Add(new HeaderValue { Key = _options.ResetHeader, Value = reset.ToString(CultureInfo.InvariantCulture) });
    }

    private void Validate(RateLimitRequest request)
    {
        if (string.IsNullOrEmpty(request.Domain))
        {
            throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, "domain: must not be empty");
        }

        if (request.Descriptors.Count == 0)
        {
            throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, "descriptors: must list at least one descriptor");
        }

        if (request.Descriptors.Count > _options.MaxDescriptors)
        {
            throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, $"descriptors: at most {_options.MaxDescriptors} descriptors are accepted, got {request.Descriptors.Count}");
        }

        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var entries = request.Descriptors[i].Entries;
            if (entries.Count == 0 || entries.Count > _options.MaxEntries)
            {
                throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, $"descriptors[{i}].entries: must hold 1 to {_options.MaxEntries} entries, got {entries.Count}");
            }

            for (var j = 0; j < entries.Count; j++)
            {
                if (string.IsNullOrEmpty(entries[j].Key))
                {
                    throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, $"descriptors[{i}].entries[{j}].key: must not be empty");
                }
            }
        }
    }

    /// <summary>A request-side limit (envoy.type.v3.RateLimitUnit: no WEEK) counted as a fixed window.</summary>
    private static CompiledLimit OverrideLimit(RateLimitDescriptor.Types.RateLimitOverride limit, int index)
    {
        RateLimitUnit unit = limit.Unit switch
        {
            Envoy.Type.V3.RateLimitUnit.Second => RateLimitUnit.SECOND,
            Envoy.Type.V3.RateLimitUnit.Minute => RateLimitUnit.MINUTE,
            Envoy.Type.V3.RateLimitUnit.Hour => RateLimitUnit.HOUR,
            Envoy.Type.V3.RateLimitUnit.Day => RateLimitUnit.DAY,
            Envoy.Type.V3.RateLimitUnit.Month => RateLimitUnit.MONTH,
            Envoy.Type.V3.RateLimitUnit.Year => RateLimitUnit.YEAR,
            _ => throw new RlsRequestException(Grpc.Core.StatusCode.InvalidArgument, $"descriptors[{index}].limit.unit: must be SECOND, MINUTE, HOUR, DAY, MONTH or YEAR, got {limit.Unit}"),
        };
        return new CompiledLimit(new RlsLimit { Unit = unit, RequestsPerUnit = limit.RequestsPerUnit, Algorithm = RlsAlgorithm.FixedWindow }, 0, null);
    }
}
