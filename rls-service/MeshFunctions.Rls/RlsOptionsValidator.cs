using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls;

/// <summary>Checks every setting at start and reports all problems at once.</summary>
internal sealed class RlsOptionsValidator : IValidateOptions<RlsOptions>
{
    public ValidateOptionsResult Validate(string? name, RlsOptions options)
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(!string.IsNullOrWhiteSpace(options.ConfigDirectory), "Rls:ConfigDirectory must be set");
        Check(options.ConfigPollInterval > TimeSpan.Zero, "Rls:ConfigPollInterval must be positive");
        Check(Enum.IsDefined(options.Backend), $"Rls:Backend must be InProcess or Redis, got {options.Backend}");
        Check(options.Backend != RlsBackendKind.Redis || !string.IsNullOrWhiteSpace(options.RedisConfiguration), "Rls:RedisConfiguration must be set when Rls:Backend is Redis");
        Check(
            !options.RedisCluster || !(options.RedisConfiguration ?? string.Empty).Split(',').Any(p => p.Trim().StartsWith("serviceName=", StringComparison.OrdinalIgnoreCase)),
            "Rls:RedisCluster cannot be combined with serviceName= (Redis Sentinel) in Rls:RedisConfiguration; use one or the other");
        Check(!options.RedisPerSecondCluster || !string.IsNullOrWhiteSpace(options.RedisPerSecondConfiguration), "Rls:RedisPerSecondCluster needs Rls:RedisPerSecondConfiguration");
        Check(
            !options.RedisPerSecondCluster || !(options.RedisPerSecondConfiguration ?? string.Empty).Split(',').Any(p => p.Trim().StartsWith("serviceName=", StringComparison.OrdinalIgnoreCase)),
            "Rls:RedisPerSecondCluster cannot be combined with serviceName= (Redis Sentinel) in Rls:RedisPerSecondConfiguration; use one or the other");
        Check(
            string.IsNullOrWhiteSpace(options.RedisPerSecondConfiguration) || options.Backend == RlsBackendKind.Redis,
            "Rls:RedisPerSecondConfiguration needs Rls:Backend Redis (per-second counters go to a second Redis)");
        Check(!options.StopCacheKeyIncrementWhenOverLimit || options.Backend == RlsBackendKind.Redis, "Rls:StopCacheKeyIncrementWhenOverLimit needs Rls:Backend Redis");
        Check(
            options.RedisTimeout >= TimeSpan.FromMilliseconds(10) && options.RedisTimeout <= TimeSpan.FromSeconds(10),
            $"Rls:RedisTimeout must be between 10 ms (the shortest timeout Polly accepts) and 10 s, got {options.RedisTimeout.TotalMilliseconds} ms");
        Check(options.MaxInProcessCounters is >= 10 and <= 100_000_000, $"Rls:MaxInProcessCounters must be between 10 and 100000000, got {options.MaxInProcessCounters}");
        Check(options.RedisMaxQueuedCalls is >= 1 and <= 10_000_000, $"Rls:RedisMaxQueuedCalls must be between 1 and 10000000, got {options.RedisMaxQueuedCalls}");
        Check(options.RedisMaxBatchesInFlight is >= 1 and <= 256, $"Rls:RedisMaxBatchesInFlight must be between 1 and 256, got {options.RedisMaxBatchesInFlight}");
        Check(options.BreakerFailureRatio is > 0 and <= 1, $"Rls:BreakerFailureRatio must be in (0, 1], got {options.BreakerFailureRatio}");
        Check(options.BreakerMinimumThroughput >= 2, $"Rls:BreakerMinimumThroughput must be at least 2, got {options.BreakerMinimumThroughput}");
        Check(options.BreakerSamplingDuration >= TimeSpan.FromMilliseconds(500), "Rls:BreakerSamplingDuration must be at least 500 ms");
        Check(options.BreakerBreakDuration >= TimeSpan.FromMilliseconds(500), "Rls:BreakerBreakDuration must be at least 500 ms");
        Check(options.NearLimitRatio is > 0 and <= 1, $"Rls:NearLimitRatio must be in (0, 1], got {options.NearLimitRatio}");
        Check(options.GrpcPort is >= 0 and <= 65535, $"Rls:GrpcPort must be a port number, got {options.GrpcPort}");
        Check(options.HttpPort is >= 0 and <= 65535, $"Rls:HttpPort must be a port number, got {options.HttpPort}");
        Check(options.DebugPort is >= 0 and <= 65535, $"Rls:DebugPort must be a port number, got {options.DebugPort}");
        Check(options.GrpcPort != options.HttpPort, "Rls:GrpcPort and Rls:HttpPort must differ");
        Check(options.MaxRequestBytes is >= 1024 and <= 16 * 1024 * 1024, $"Rls:MaxRequestBytes must be between 1 KiB and 16 MiB, got {options.MaxRequestBytes}");
        Check(options.MaxDescriptors is >= 1 and <= 10_000, $"Rls:MaxDescriptors must be between 1 and 10000, got {options.MaxDescriptors}");
        Check(options.MaxEntries is >= 1 and <= 1_000, $"Rls:MaxEntries must be between 1 and 1000, got {options.MaxEntries}");
        Check(options.MaxMetricLabelSets is >= 0 and <= 1_000_000, $"Rls:MaxMetricLabelSets must be between 0 and 1000000, got {options.MaxMetricLabelSets}");
        Check(options.MetricsPort is >= 0 and <= 65535, $"Rls:MetricsPort must be a port number, got {options.MetricsPort}");
        Check(options.MetricsPort == 0 || (options.MetricsPort != options.GrpcPort && options.MetricsPort != options.HttpPort && options.MetricsPort != options.DebugPort), "Rls:MetricsPort must differ from the other ports");
        Check(options.MetricsPath.StartsWith('/'), $"Rls:MetricsPath must start with '/', got '{options.MetricsPath}'");
        Check((options.GrpcTlsCertificate is null) == (options.GrpcTlsKey is null), "Rls:GrpcTlsCertificate and Rls:GrpcTlsKey must be set together");
        Check(options.GrpcTlsClientCa is null || options.GrpcTlsCertificate is not null, "Rls:GrpcTlsClientCa (mutual TLS) needs Rls:GrpcTlsCertificate and Rls:GrpcTlsKey");
        Check(options.GrpcTlsClientSan is null || options.GrpcTlsClientCa is not null, "Rls:GrpcTlsClientSan needs Rls:GrpcTlsClientCa");
        Check((options.RedisTlsClientCertificate is null) == (options.RedisTlsClientKey is null), "Rls:RedisTlsClientCertificate and Rls:RedisTlsClientKey must be set together");
        foreach (var (option, file) in new[]
        {
            ("GrpcTlsCertificate", options.GrpcTlsCertificate), ("GrpcTlsKey", options.GrpcTlsKey), ("GrpcTlsClientCa", options.GrpcTlsClientCa),
            ("RedisTlsClientCertificate", options.RedisTlsClientCertificate), ("RedisTlsClientKey", options.RedisTlsClientKey), ("RedisTlsCaCertificate", options.RedisTlsCaCertificate),
        })
        {
            Check(file is null || File.Exists(file), $"Rls:{option}: file '{file}' does not exist");
        }

        foreach (var (header, value) in new[] { ("LimitHeader", options.LimitHeader), ("RemainingHeader", options.RemainingHeader), ("ResetHeader", options.ResetHeader) })
        {
            Check(!string.IsNullOrWhiteSpace(value) && value.All(c => c > ' ' && c < 127 && c != ':'), $"Rls:{header} must be a valid header name, got '{value}'");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
