using System.Net;
using Grpc.Net.Client;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Compatibility;

/// <summary>envoyproxy/ratelimit's environment variables: mapped onto options, or refused naming the variable.</summary>
public sealed class ReferenceEnvironmentTests
{
    [Fact]
    public void Map_TypicalDeploymentEnvBlock_EveryVariableLandsOnItsOption()
    {
        var result = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["USE_STATSD"] = "false",
            ["LOG_LEVEL"] = "debug",
            ["REDIS_SOCKET_TYPE"] = "tcp",
            ["REDIS_URL"] = "redis.default:6379",
            ["REDIS_AUTH"] = "rl:secret",
            ["REDIS_TLS"] = "true",
            ["REDIS_POOL_SIZE"] = "20",
            ["RUNTIME_ROOT"] = "/data",
            ["RUNTIME_SUBDIRECTORY"] = "ratelimit",
            ["RUNTIME_WATCH_ROOT"] = "false",
            ["PORT"] = "8090",
            ["GRPC_PORT"] = "8091",
            ["DEBUG_PORT"] = "6071",
            ["PROMETHEUS_ADDR"] = ":9090",
            ["PROMETHEUS_PATH"] = "/prom",
            ["LIMIT_RESPONSE_HEADERS_ENABLED"] = "true",
            ["LIMIT_REMAINING_HEADER"] = "X-Left",
            ["NEAR_LIMIT_RATIO"] = "0.9",
            ["CACHE_KEY_PREFIX"] = "rl:",
            ["FORCE_START_WITHOUT_INITIAL_CONFIG"] = "TRUE",
            ["MERGE_DOMAIN_CONFIG"] = "true",
            ["SHADOW_MODE"] = "false",
            ["QUOTA_MODE"] = "true",
            ["RESPONSE_DYNAMIC_METADATA"] = "true",
            ["GRPC_SERVER_USE_TLS"] = "true",
            ["GRPC_SERVER_TLS_CERT"] = "/tls/cert.pem",
            ["GRPC_SERVER_TLS_KEY"] = "/tls/key.pem",
            ["GRPC_CLIENT_TLS_CACERT"] = "/tls/ca.pem",
            ["GRPC_CLIENT_TLS_SAN"] = "envoy.local",
        });

        Assert.Empty(result.Errors);
        var expected = new Dictionary<string, string?>
        {
            ["Rls:Backend"] = "Redis",
            ["Rls:RedisConfiguration"] = "redis.default:6379,user=rl,password=secret,ssl=true",
            ["Rls:ConfigDirectory"] = "/data/ratelimit/config",
            ["Rls:HttpPort"] = "8090",
            ["Rls:GrpcPort"] = "8091",
            ["Rls:DebugPort"] = "6071",
            ["Rls:MetricsPort"] = "9090",
            ["Rls:MetricsPath"] = "/prom",
            ["Rls:ResponseHeadersEnabled"] = "true",
            ["Rls:RemainingHeader"] = "X-Left",
            ["Rls:NearLimitRatio"] = "0.9",
            ["Rls:CacheKeyPrefix"] = "rl:",
            ["Rls:ForceStartWithoutInitialConfig"] = "true",
            ["Rls:MergeDomainConfig"] = "true",
            ["Rls:GlobalShadowMode"] = "false",
            ["Rls:GlobalQuotaMode"] = "true",
            ["Rls:ResponseDynamicMetadata"] = "true",
            ["Rls:GrpcTlsCertificate"] = "/tls/cert.pem",
            ["Rls:GrpcTlsKey"] = "/tls/key.pem",
            ["Rls:GrpcTlsClientCa"] = "/tls/ca.pem",
            ["Rls:GrpcTlsClientSan"] = "envoy.local",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), result.Settings.OrderBy(p => p.Key));
        Assert.Equal(["REDIS_POOL_SIZE", "RUNTIME_WATCH_ROOT", "LOG_LEVEL"], result.Ignored.Select(i => i.Split(' ')[0]));
    }

    [Theory]
    [InlineData("USE_STATSD", "true")]
    [InlineData("USE_DOG_STATSD", "true")]
    [InlineData("BACKEND_TYPE", "memcache")]
    [InlineData("MEMCACHE_HOST_PORT", "memcache:11211")]
    [InlineData("CONFIG_TYPE", "GRPC_XDS_SOTW")]
    [InlineData("CONFIG_GRPC_XDS_SERVER_URL", "xds:18000")]
    [InlineData("REDIS_PERSECOND", "true")]
    [InlineData("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", "yes")]
    [InlineData("HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED", "1")]
    [InlineData("REDIS_PERSECOND_SOCKET_TYPE", "unix")]
    [InlineData("REDIS_SENTINEL_AUTH", "pw")]
    [InlineData("REDIS_PERSECOND_SENTINEL_AUTH", "pw")]
    [InlineData("REDIS_TLS_SKIP_HOSTNAME_VERIFICATION", "true")]
    [InlineData("TRACING_ENABLED", "true")]
    [InlineData("REDIS_SOCKET_TYPE", "unix")]
    [InlineData("REDIS_TYPE", "ring")]
    [InlineData("SHADOW_MODE", "yes")]
    [InlineData("GRPC_PORT", "80a")]
    [InlineData("GRPC_SERVER_USE_TLS", "true")]
    public void Map_UnsupportedOrMalformed_ErrorNamesTheVariable(string variable, string value)
    {
        var environment = new Dictionary<string, string> { [variable] = value };
        if (variable == "REDIS_TYPE")
        {
            environment["REDIS_URL"] = "a:1,b:2";
        }

        var result = ReferenceEnvironment.Map(environment);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(variable, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RedisTypeSentinel_SentinelsAndServiceName()
    {
        var result = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["REDIS_TYPE"] = "SENTINEL",
            ["REDIS_URL"] = "mymaster,s1:26379,s2:26379",
            ["REDIS_AUTH"] = "pw",
        });

        Assert.Empty(result.Errors);
        Assert.False(result.Settings.ContainsKey("Rls:RedisCluster"));
        Assert.Equal("Redis", result.Settings["Rls:Backend"]);
        Assert.Equal("s1:26379,s2:26379,serviceName=mymaster,password=pw", result.Settings["Rls:RedisConfiguration"]);
    }

    [Theory]
    [InlineData("s1:26379,s2:26379")]
    [InlineData("mymaster")]
    [InlineData("mymaster,s1")]
    [InlineData("mymaster,s1:port")]
    [InlineData(",s1:26379")]
    public void Map_RedisTypeSentinelMalformedUrl_ErrorNamesRedisUrl(string url)
    {
        var result = ReferenceEnvironment.Map(new Dictionary<string, string> { ["REDIS_TYPE"] = "sentinel", ["REDIS_URL"] = url });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("REDIS_URL=" + url + ": expected mastername,host1:port1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RedisPerSecondClusterAndSentinel_SecondRedisInTheSameForms()
    {
        var cluster = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["REDIS_URL"] = "main:6379",
            ["REDIS_PERSECOND"] = "true",
            ["REDIS_PERSECOND_TYPE"] = "CLUSTER",
            ["REDIS_PERSECOND_URL"] = "p1:7000,p2:7000",
            ["REDIS_PERSECOND_AUTH"] = "u:pw",
            ["REDIS_PERSECOND_TLS"] = "true",
            ["REDIS_PERSECOND_PIPELINE_WINDOW"] = "150us",
            ["REDIS_PERSECOND_TIMEOUT"] = "1s",
            ["STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT"] = "true",
            ["HEALTHY_WITH_AT_LEAST_ONE_CONFIG_LOADED"] = "TRUE",
        });
        var sentinel = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["REDIS_URL"] = "main:6379",
            ["REDIS_PERSECOND"] = "true",
            ["REDIS_PERSECOND_TYPE"] = "sentinel",
            ["REDIS_PERSECOND_URL"] = "psmaster,s1:26379",
        });

        Assert.Empty(cluster.Errors);
        Assert.Equal("main:6379", cluster.Settings["Rls:RedisConfiguration"]);
        Assert.False(cluster.Settings.ContainsKey("Rls:RedisCluster"));
        Assert.Equal("p1:7000,p2:7000,user=u,password=pw,ssl=true", cluster.Settings["Rls:RedisPerSecondConfiguration"]);
        Assert.Equal("true", cluster.Settings["Rls:RedisPerSecondCluster"]);
        Assert.Equal("true", cluster.Settings["Rls:StopCacheKeyIncrementWhenOverLimit"]);
        Assert.Equal("true", cluster.Settings["Rls:HealthyWithAtLeastOneConfigLoaded"]);
        Assert.Equal(["REDIS_PERSECOND_PIPELINE_WINDOW", "REDIS_PERSECOND_TIMEOUT"], cluster.Ignored.Select(i => i.Split(' ')[0]));
        Assert.Empty(sentinel.Errors);
        Assert.Equal("s1:26379,serviceName=psmaster", sentinel.Settings["Rls:RedisPerSecondConfiguration"]);
    }

    [Theory]
    [InlineData("REDIS_PERSECOND_URL", null, "REDIS_PERSECOND=true needs REDIS_PERSECOND_URL")]
    [InlineData("REDIS_PERSECOND_TYPE", "ring", "REDIS_PERSECOND_TYPE=ring: expected SINGLE, SENTINEL or CLUSTER")]
    [InlineData("REDIS_PERSECOND_URL", "a:1,b:2", "REDIS_PERSECOND_URL=a:1,b:2: expected one host:port")]
    public void Map_RedisPerSecondIncomplete_ErrorNamesTheVariable(string variable, string? value, string expected)
    {
        var environment = new Dictionary<string, string> { ["REDIS_URL"] = "main:6379", ["REDIS_PERSECOND"] = "true", ["REDIS_PERSECOND_URL"] = "ps:6379" };
        if (value is null)
        {
            environment.Remove(variable);
        }
        else
        {
            environment[variable] = value;
        }

        var error = Assert.Single(ReferenceEnvironment.Map(environment).Errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RedisTypeCluster_NodeListAndClusterMode()
    {
        var result = ReferenceEnvironment.Map(new Dictionary<string, string>
        {
            ["REDIS_TYPE"] = "cluster",
            ["REDIS_URL"] = "r1:6379,r2:6379,r3:6379",
            ["REDIS_AUTH"] = "pw",
        });

        Assert.Empty(result.Errors);
        Assert.Equal("true", result.Settings["Rls:RedisCluster"]);
        Assert.Equal("r1:6379,r2:6379,r3:6379,password=pw", result.Settings["Rls:RedisConfiguration"]);
    }

    [Fact]
    public void Build_UnsupportedVariable_StartFailsNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RlsApplication.Build([], null, new Dictionary<string, string>
        {
            ["USE_STATSD"] = "true",
            ["BACKEND_TYPE"] = "memcache",
        }));

        Assert.Contains("USE_STATSD=true", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BACKEND_TYPE=memcache", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ReferenceEnvironment_ServesOnItsPortsWithItsSwitches()
    {
        var root = Directory.CreateTempSubdirectory("rls-runtime-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "ratelimit", "config"));
            await File.WriteAllTextAsync(Path.Combine(root, "ratelimit", "config", "a.yaml"), "domain: env\ndescriptors:\n  - key: k\n    rate_limit: {unit: hour, requests_per_unit: 1}\n");
            int grpc = Ports.Free(), http = Ports.Free(), metrics = Ports.Free();
            var app = RlsApplication.Build([], b => b.Configuration.AddInMemoryCollection([new("Rls:LoopbackOnly", "true"), new("Logging:LogLevel:Default", "Warning")]), new Dictionary<string, string>
            {
                ["USE_STATSD"] = "false",
                ["RUNTIME_ROOT"] = root,
                ["RUNTIME_SUBDIRECTORY"] = "ratelimit",
                ["PORT"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["GRPC_PORT"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DEBUG_PORT"] = "0",
                ["PROMETHEUS_ADDR"] = ":" + metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["LIMIT_RESPONSE_HEADERS_ENABLED"] = "true",
                ["LIMIT_LIMIT_HEADER"] = "X-Limit",
                ["SHADOW_MODE"] = "true",
            });
            await using var _ = app;
            await app.StartAsync();
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpc}");
            var client = new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(channel);

            await client.ShouldRateLimitAsync(Request("env", ("k", "v")));
            var second = await client.ShouldRateLimitAsync(Request("env", ("k", "v")));

            Assert.Equal(Code.Ok, second.OverallCode); // SHADOW_MODE
            Assert.Equal("X-Limit", second.ResponseHeadersToAdd[0].Key);
            using var http1 = new HttpClient();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await http1.GetAsync($"http://127.0.0.1:{http}/healthcheck", guard.Token)).StatusCode != HttpStatusCode.OK)
            {
                await Task.Delay(20, guard.Token);
            }

            Assert.Contains("rls_rate_limit_shadow_mode", await http1.GetStringAsync($"http://127.0.0.1:{metrics}/metrics"), StringComparison.Ordinal);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
