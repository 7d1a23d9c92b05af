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

    /// <summary>
    /// One status per descriptor, and the overall code. A quota-mode descriptor (<c>quota_mode</c>, or every descriptor
    /// with <see cref="RlsOptions.GlobalQuotaMode"/>) over its limit is a soft violation: the call is OVER_LIMIT only when a
    /// non-quota descriptor is over, or when every quota descriptor of the call is over (their statuses then say
    /// OVER_LIMIT too). Violations are listed in the dynamic metadata (<c>quotaModeViolations</c>: descriptor indexes).
    /// </summary>
    private void BuildStatuses(RateLimitRequest request, string domain, RuleNode?[] nodes, List<MatchedLimit> matched, CounterCheck[] checks, CounterResult[] results, RateLimitResponse response)
    {
        var m = 0;
        var quotaDescriptors = 0;
        List<int>? quotaViolations = null;
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var over = false;
            var hasUnlimited = false;
            var deciding = -1;
            var node = nodes[i];
            var shadow = _options.GlobalShadowMode || (node?.ShadowMode ?? false);
            var quota = node is not null && (_options.GlobalQuotaMode || node.QuotaMode);
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
                status.Code = over && !shadow && !quota ? RateLimitResponse.Types.Code.OverLimit : RateLimitResponse.Types.Code.Ok;
                status.CurrentLimit = new RateLimitResponse.Types.RateLimit
                {
                    Name = limit.Name ?? string.Empty,
                    RequestsPerUnit = limit.RequestsPerUnit,
                    Unit = limit.ResponseUnit,
                };
                status.LimitRemaining = (uint)Math.Clamp(result.Remaining, 0, uint.MaxValue);
                status.DurationUntilReset = new Duration { Seconds = result.ResetMs / 1000, Nanos = (int)(result.ResetMs % 1000) * 1_000_000 };
                if (quota && !shadow)
                {
                    quotaDescriptors++;
                    if (over)
                    {
                        (quotaViolations ??= []).Add(i);
                    }
                }
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

        if (quotaDescriptors > 0)
        {
            ApplyQuotaMode(response, quotaDescriptors, quotaViolations);
        }
    }

    private static void ApplyQuotaMode(RateLimitResponse response, int quotaDescriptors, List<int>? violations)
    {
        violations ??= [];
        var allOver = violations.Count == quotaDescriptors;
        var indexes = new Value[violations.Count];
        for (var v = 0; v < violations.Count; v++)
        {
            indexes[v] = Value.ForNumber(violations[v]);
            if (allOver)
            {
                response.Statuses[violations[v]].Code = RateLimitResponse.Types.Code.OverLimit;
            }
        }

        if (allOver)
        {
            response.OverallCode = RateLimitResponse.Types.Code.OverLimit;
        }

        response.DynamicMetadata ??= new Struct();
        response.DynamicMetadata.Fields["quotaModeEnabled"] = Value.ForBool(true);
        response.DynamicMetadata.Fields["quotaModeViolations"] = Value.ForList(indexes);
    }

    /// <summary>
    /// With <see cref="RlsOptions.ResponseDynamicMetadata"/> (envoyproxy/ratelimit <c>RESPONSE_DYNAMIC_METADATA</c>): the
    /// domain, the request's descriptors (<c>{"entries": ["key=value", …]}</c>), <c>hitsAddend</c> when set, and the
    /// <c>metadata</c> of every matched descriptor node merged in request order (a later key wins).
    /// </summary>
    private static void AddDynamicMetadata(RateLimitRequest request, RuleNode?[] nodes, RateLimitResponse response)
    {
        var metadata = response.DynamicMetadata ??= new Struct();
        metadata.Fields["domain"] = Value.ForString(request.Domain);
        var descriptors = new Value[request.Descriptors.Count];
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var entries = request.Descriptors[i].Entries;
            var texts = new Value[entries.Count];
            for (var j = 0; j < entries.Count; j++)
            {
                texts[j] = Value.ForString(entries[j].Key + "=" + entries[j].Value);
            }

            var descriptor = new Struct();
            descriptor.Fields["entries"] = Value.ForList(texts);
            descriptors[i] = Value.ForStruct(descriptor);
        }

        metadata.Fields["descriptors"] = Value.ForList(descriptors);
        if (request.HitsAddend > 0)
        {
            metadata.Fields["hitsAddend"] = Value.ForNumber(request.HitsAddend);
        }

        foreach (var node in nodes)
        {
            if (node?.Metadata is { } own)
            {
                foreach (var (key, value) in own.Fields)
                {
                    metadata.Fields[key] = value;
                }
            }
        }
    }

    private void Count(string domain, RateLimitDescriptor descriptor, RuleNode? node, CompiledLimit limit, long hits, CounterResult result, bool shadow)
    {
        var metrics = limit.Metrics
            ?? (node is not null
                ? _labels.Get(domain, CounterKeys.MetricPath(descriptor, node), limit.Name ?? "0")
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
