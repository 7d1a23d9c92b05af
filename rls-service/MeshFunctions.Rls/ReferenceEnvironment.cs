using System.Globalization;

namespace MeshFunctions.Rls;

/// <summary>
/// envoyproxy/ratelimit's environment variables (its <c>src/settings/settings.go</c> names), translated into
/// <c>Rls:*</c> settings so an existing Deployment's env block works unchanged. Explicit <c>Rls:*</c> settings win.
/// Variables for features this service deliberately does not have (statsd, memcache, xDS config, tracing, unix
/// sockets) fail the start with a message naming the variable, never silently; a few that have no meaning here (pool
/// size, pipelining knobs) are accepted and reported as ignored.
/// </summary>
public static class ReferenceEnvironment
{
    private const string Prefix = RlsOptions.SectionName + ":";

    // Settings that map one-to-one: variable → option, with the value's kind checked.
    private static readonly (string Variable, string Option, Kind Kind)[] Direct =
    [
        ("PORT", nameof(RlsOptions.HttpPort), Kind.Port),
        ("GRPC_PORT", nameof(RlsOptions.GrpcPort), Kind.Port),
        ("DEBUG_PORT", nameof(RlsOptions.DebugPort), Kind.Port),
        ("LIMIT_RESPONSE_HEADERS_ENABLED", nameof(RlsOptions.ResponseHeadersEnabled), Kind.Bool),
        ("LIMIT_LIMIT_HEADER", nameof(RlsOptions.LimitHeader), Kind.Text),
        ("LIMIT_REMAINING_HEADER", nameof(RlsOptions.RemainingHeader), Kind.Text),
        ("LIMIT_RESET_HEADER", nameof(RlsOptions.ResetHeader), Kind.Text),
        ("NEAR_LIMIT_RATIO", nameof(RlsOptions.NearLimitRatio), Kind.Number),
        ("CACHE_KEY_PREFIX", nameof(RlsOptions.CacheKeyPrefix), Kind.Text),
        ("FORCE_START_WITHOUT_INITIAL_CONFIG", nameof(RlsOptions.ForceStartWithoutInitialConfig), Kind.Bool),
        ("MERGE_DOMAIN_CONFIG", nameof(RlsOptions.MergeDomainConfig), Kind.Bool),
        ("SHADOW_MODE", nameof(RlsOptions.GlobalShadowMode), Kind.Bool),
        ("QUOTA_MODE", nameof(RlsOptions.GlobalQuotaMode), Kind.Bool),
        ("RESPONSE_DYNAMIC_METADATA", nameof(RlsOptions.ResponseDynamicMetadata), Kind.Bool),
        ("PROMETHEUS_PATH", nameof(RlsOptions.MetricsPath), Kind.Text),
        ("REDIS_TLS_CLIENT_CERT", nameof(RlsOptions.RedisTlsClientCertificate), Kind.Text),
        ("REDIS_TLS_CLIENT_KEY", nameof(RlsOptions.RedisTlsClientKey), Kind.Text),
        ("REDIS_TLS_CACERT", nameof(RlsOptions.RedisTlsCaCertificate), Kind.Text),
        ("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", nameof(RlsOptions.StopCacheKeyIncrementWhenOverLimit), Kind.Bool),
        ("HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED", nameof(RlsOptions.HealthyWithAtLeastOneConfigLoaded), Kind.Bool),
    ];

    // Accepted, with no effect here; the reason is logged at start.
    private static readonly (string Variable, string Reason)[] Ignored =
    [
        ("REDIS_POOL_SIZE", "one multiplexed connection carries every call"),
        ("REDIS_PIPELINE_WINDOW", "concurrent calls are batched into one script call instead"),
        ("REDIS_PIPELINE_LIMIT", "concurrent calls are batched into one script call instead"),
        ("REDIS_PERSECOND_POOL_SIZE", "one multiplexed connection carries every call"),
        ("REDIS_PERSECOND_PIPELINE_WINDOW", "concurrent calls are batched into one script call instead"),
        ("REDIS_PERSECOND_PIPELINE_LIMIT", "concurrent calls are batched into one script call instead"),
        ("REDIS_USE_EXPLICIT_PIPELINE", "concurrent calls are batched into one script call instead"),
        ("REDIS_PERSECOND_USE_EXPLICIT_PIPELINE", "concurrent calls are batched into one script call instead"),
        ("REDIS_POOL_ON_EMPTY_BEHAVIOR", "one multiplexed connection carries every call; there is no pool to run empty"),
        ("REDIS_PERSECOND_POOL_ON_EMPTY_BEHAVIOR", "one multiplexed connection carries every call; there is no pool to run empty"),
        ("REDIS_TIMEOUT", "Rls:RedisTimeout (default 10 ms) bounds every Redis call, the per-second Redis's too"),
        ("REDIS_PERSECOND_TIMEOUT", "Rls:RedisTimeout (default 10 ms) bounds every Redis call, the per-second Redis's too"),
        ("REDIS_CLUSTER_PIPELINE_PARALLELISM", "the counters of a call go to every cluster node in parallel, one script call per node"),
        ("EXPIRATION_JITTER_MAX_SECONDS", "EXPIRE is sent once per counter window, not on every hit, so there is no expiry stampede to spread"),
        ("RUNTIME_WATCH_ROOT", "the config directory itself is watched (with a periodic re-read), which covers both symlink swaps and in-place edits"),
        ("RUNTIME_IGNOREDOTFILES", "dot files are always skipped (ConfigMap ..data entries)"),
        ("USE_PROMETHEUS", "Prometheus metrics are always served"),
        ("LOG_LEVEL", "use Logging__LogLevel__Default"),
        ("LOG_FORMAT", "use Logging__Console__FormatterName"),
    ];

    // Present with this value (case-insensitive; null = any non-empty value) → the start fails.
    private static readonly (string Variable, string? Value, string Reason)[] Refused =
    [
        ("USE_STATSD", "true", "statsd is not supported; metrics are Prometheus (/metrics); set USE_STATSD=false"),
        ("USE_DOG_STATSD", "true", "DogStatsD is not supported; metrics are Prometheus (/metrics)"),
        ("BACKEND_TYPE", "memcache", "memcache is not supported; use BACKEND_TYPE=redis or the in-process backend"),
        ("MEMCACHE_HOST_PORT", null, "memcache is not supported"),
        ("MEMCACHE_SRV", null, "memcache is not supported"),
        ("CONFIG_TYPE", "GRPC_XDS_SOTW", "xDS configuration is not supported; mount the YAML files (CONFIG_TYPE=FILE)"),
        ("CONFIG_GRPC_XDS_SERVER_URL", null, "xDS configuration is not supported"),
        ("TRACING_ENABLED", "true", "OTLP tracing is not supported"),
        ("REDIS_SOCKET_TYPE", "unix", "unix sockets are not supported; use REDIS_SOCKET_TYPE=tcp with host:port"),
        ("REDIS_PERSECOND_SOCKET_TYPE", "unix", "unix sockets are not supported; use REDIS_PERSECOND_SOCKET_TYPE=tcp with host:port"),
        ("REDIS_SENTINEL_AUTH", null, "a separate Sentinel password is not supported; REDIS_AUTH is sent to the sentinels and the master alike"),
        ("REDIS_PERSECOND_SENTINEL_AUTH", null, "a separate Sentinel password is not supported; REDIS_PERSECOND_AUTH is sent to the sentinels and the master alike"),
        ("REDIS_TLS_SKIP_HOSTNAME_VERIFICATION", "true", "not supported: trust the Redis server's issuer with REDIS_TLS_CACERT instead"),
        ("REDIS_HEALTH_CHECK_ACTIVE_CONNECTION", "true", "not supported: readiness follows the Redis circuit (Rls:UnhealthyOnRedisBreakerOpen)"),
    ];

    private enum Kind
    {
        Text,
        Bool,
        Port,
        Number,
    }

    /// <summary>The settings the variables stand for, the problems (each naming its variable) and what was ignored.</summary>
    public static ReferenceEnvironmentResult Map(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var ignored = new List<string>();
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.Trim() : null;

        foreach (var (variable, option, kind) in Direct)
        {
            if (Get(variable) is not { } value)
            {
                continue;
            }

            if (Check(variable, value, kind, errors))
            {
                settings[Prefix + option] = kind == Kind.Bool ? value.ToLowerInvariant() : value;
            }
        }

        foreach (var (variable, value, reason) in Refused)
        {
            if (Get(variable) is { } actual && (value is null || string.Equals(actual, value, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"{variable}={actual}: {reason}");
            }
        }

        foreach (var (variable, reason) in Ignored)
        {
            if (Get(variable) is not null)
            {
                ignored.Add($"{variable} is ignored: {reason}");
            }
        }

        MapRuntime(Get, settings);
        MapRedis(Get, settings, errors);
        MapPrometheus(Get, settings, errors);
        MapGrpcTls(Get, settings, errors);
        return new ReferenceEnvironmentResult(settings, errors, ignored);
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Process()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return result;
    }

    private static void MapRuntime(Func<string, string?> get, Dictionary<string, string?> settings)
    {
        var root = get("RUNTIME_ROOT");
        var sub = get("RUNTIME_SUBDIRECTORY");
        var app = get("RUNTIME_APPDIRECTORY");
        if (root is null && sub is null && app is null)
        {
            return;
        }

        // The reference reads RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/RUNTIME_APPDIRECTORY/*.yaml.
        settings[Prefix + nameof(RlsOptions.ConfigDirectory)] = Path.Combine(root ?? "/srv/runtime_data/current", sub ?? string.Empty, app ?? "config");
    }

    private static void MapRedis(Func<string, string?> get, Dictionary<string, string?> settings, List<string> errors)
    {
        var backend = get("BACKEND_TYPE");
        var url = get("REDIS_URL");
        if (backend is not null && !string.Equals(backend, "redis", StringComparison.OrdinalIgnoreCase) && !string.Equals(backend, "memcache", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"BACKEND_TYPE={backend}: expected redis");
        }

        var perSecond = get("REDIS_PERSECOND") is { } value && Check("REDIS_PERSECOND", value, Kind.Bool, errors) && bool.Parse(value);
        if (url is null && !string.Equals(backend, "redis", StringComparison.OrdinalIgnoreCase))
        {
            if (perSecond)
            {
                errors.Add("REDIS_PERSECOND=true needs the Redis backend (REDIS_URL or BACKEND_TYPE=redis)");
            }

            return;
        }

        settings[Prefix + nameof(RlsOptions.Backend)] = nameof(RlsBackendKind.Redis);
        MapRedisClient(get, "REDIS", nameof(RlsOptions.RedisConfiguration), nameof(RlsOptions.RedisCluster), settings, errors);
        if (perSecond)
        {
            if (get("REDIS_PERSECOND_URL") is null)
            {
                errors.Add("REDIS_PERSECOND=true needs REDIS_PERSECOND_URL (the per-second Redis)");
                return;
            }

            MapRedisClient(get, "REDIS_PERSECOND", nameof(RlsOptions.RedisPerSecondConfiguration), nameof(RlsOptions.RedisPerSecondCluster), settings, errors);
        }
    }

    /// <summary>
    /// One Redis client's variables (<paramref name="variable"/>_URL, _TYPE, _AUTH, _TLS) → a StackExchange.Redis
    /// configuration string and the cluster switch; the main Redis and the per-second one take the same forms.
    /// </summary>
    private static void MapRedisClient(Func<string, string?> get, string variable, string configurationOption, string clusterOption, Dictionary<string, string?> settings, List<string> errors)
    {
        var url = get(variable + "_URL");
        var type = (get(variable + "_TYPE") ?? "SINGLE").ToUpperInvariant();
        if (type is not ("SINGLE" or "CLUSTER" or "SENTINEL"))
        {
            errors.Add($"{variable}_TYPE={get(variable + "_TYPE")}: expected SINGLE, SENTINEL or CLUSTER");
            return;
        }

        var parts = new List<string>();
        if (type == "SENTINEL")
        {
            // The reference's sentinel URL: the master's name, then the sentinels, "mastername,host1:port1,host2:port2".
            var fields = url?.Split(',', StringSplitOptions.TrimEntries) ?? [];
            if (fields.Length < 2 || fields[0].Length == 0 || fields[0].Contains(':', StringComparison.Ordinal)
                || fields.Skip(1).Any(f => f.LastIndexOf(':') is var colon && (colon <= 0 || !int.TryParse(f[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))))
            {
                errors.Add($"{variable}_URL={url}: expected mastername,host1:port1,host2:port2 ({variable}_TYPE=SENTINEL)");
                return;
            }

            parts.AddRange(fields.Skip(1));
            parts.Add("serviceName=" + fields[0]);
        }
        else if (url is not null)
        {
            // SINGLE: one host:port; CLUSTER: a comma-separated list of nodes, as in the reference.
            if (url.StartsWith('/') || (type == "SINGLE" && url.Contains(',', StringComparison.Ordinal)))
            {
                errors.Add($"{variable}_URL={url}: expected {(type == "SINGLE" ? $"one host:port ({variable}_TYPE=SINGLE over tcp)" : "host:port pairs separated by commas")}");
                return;
            }

            parts.Add(url);
        }

        if (type == "CLUSTER")
        {
            settings[Prefix + clusterOption] = "true";
        }

        if (get(variable + "_AUTH") is { } auth)
        {
            // "password" or "username:password", as in the reference.
            var colon = auth.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                parts.Add("user=" + auth[..colon]);
                parts.Add("password=" + auth[(colon + 1)..]);
            }
            else
            {
                parts.Add("password=" + auth);
            }
        }

        if (get(variable + "_TLS") is { } tls)
        {
            if (Check(variable + "_TLS", tls, Kind.Bool, errors) && bool.Parse(tls))
            {
                parts.Add("ssl=true");
            }
        }

        if (parts.Count > 0)
        {
            settings[Prefix + configurationOption] = string.Join(',', parts);
        }
    }

    private static void MapPrometheus(Func<string, string?> get, Dictionary<string, string?> settings, List<string> errors)
    {
        if (get("PROMETHEUS_ADDR") is not { } address)
        {
            return;
        }

        // ":9090" or "0.0.0.0:9090": only the port is used (the HTTP listeners' bind address applies).
        var port = address[(address.LastIndexOf(':') + 1)..];
        if (Check("PROMETHEUS_ADDR", port, Kind.Port, errors))
        {
            settings[Prefix + nameof(RlsOptions.MetricsPort)] = port;
        }
    }

    private static void MapGrpcTls(Func<string, string?> get, Dictionary<string, string?> settings, List<string> errors)
    {
        if (get("GRPC_SERVER_USE_TLS") is not { } useTls || !Check("GRPC_SERVER_USE_TLS", useTls, Kind.Bool, errors) || !bool.Parse(useTls))
        {
            return;
        }

        if (get("GRPC_SERVER_TLS_CERT") is null || get("GRPC_SERVER_TLS_KEY") is null)
        {
            errors.Add("GRPC_SERVER_USE_TLS=true needs GRPC_SERVER_TLS_CERT and GRPC_SERVER_TLS_KEY (PEM files)");
            return;
        }

        foreach (var (variable, option) in new[]
        {
            ("GRPC_SERVER_TLS_CERT", nameof(RlsOptions.GrpcTlsCertificate)),
            ("GRPC_SERVER_TLS_KEY", nameof(RlsOptions.GrpcTlsKey)),
            ("GRPC_CLIENT_TLS_CACERT", nameof(RlsOptions.GrpcTlsClientCa)),
            ("GRPC_CLIENT_TLS_SAN", nameof(RlsOptions.GrpcTlsClientSan)),
        })
        {
            if (get(variable) is { } value)
            {
                settings[Prefix + option] = value;
            }
        }
    }

    private static bool Check(string variable, string value, Kind kind, List<string> errors)
    {
        var ok = kind switch
        {
            Kind.Bool => bool.TryParse(value, out _),
            Kind.Port => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535,
            Kind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
        if (!ok)
        {
            errors.Add($"{variable}={value}: expected {kind switch { Kind.Bool => "true or false", Kind.Port => "a port number", _ => "a number" }}");
        }

        return ok;
    }
}
