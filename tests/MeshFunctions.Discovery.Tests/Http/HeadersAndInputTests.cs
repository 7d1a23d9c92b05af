using System.Net;
using System.Text;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>Headers on every answer, proxied endpoints, tokens, and bad input answered 400 without side effects.</summary>
public sealed class HeadersAndInputTests : IAsyncLifetime
{
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync() =>
        _h = await DiscoveryHarness.StartAsync(consul =>
        {
            consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
            consul.PutKv("cfg/app", "on");
        });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/v1/kv/missing", HttpStatusCode.NotFound)]
    [InlineData("/v1/kv/cfg%2Fapp", HttpStatusCode.OK)]
    [InlineData("/v1/catalog/services", HttpStatusCode.OK)]
    [InlineData("/v1/status/leader", HttpStatusCode.OK)]
    [InlineData("/v1/status/peers", HttpStatusCode.OK)]
    [InlineData("/v1/agent/self", HttpStatusCode.OK)]
    [InlineData("/v1/health/service/web?wait=banana&index=1", HttpStatusCode.BadRequest)]
    public async Task Get_AnyEndpoint_ThreeConsulHeaders(string target, HttpStatusCode status)
    {
        using var client = _h.ClientFrom("127.0.0.1");

        using var response = await client.GetAsync(target);

        Assert.Equal(status, response.StatusCode);
        Assert.True(ulong.Parse(response.Headers.GetValues("X-Consul-Index").Single()) >= 1);
        Assert.Contains(response.Headers.GetValues("X-Consul-KnownLeader").Single(), new[] { "true", "false" });
        Assert.True(long.Parse(response.Headers.GetValues("X-Consul-LastContact").Single()) >= 0);
    }

    [Fact]
    public async Task KvGet_EncodedSlash_DecodedOnceUpstream()
    {
        using var client = _h.ClientFrom("127.0.0.1");

        var reply = await ConsulReply.GetAsync(client, "/v1/kv/cfg%2Fapp");

        Assert.Equal("cfg/app", reply.Json[0]!["Key"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("on")), reply.Json[0]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task KvPut_Proxied_TokenPassedUpstream()
    {
        using var client = _h.ClientFrom("127.0.0.1");
        client.DefaultRequestHeaders.Add("X-Consul-Token", "secret-1");

        using var put = await client.PutAsync("/v1/kv/cfg/new?cas=0", new StringContent("v"));
        var read = await ConsulReply.GetAsync(client, "/v1/kv/cfg/new?token=secret-2");

        Assert.Equal("true", (await put.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Contains(_h.Consul.Requests, r => r.Method == "PUT" && r.Token == "secret-1");
        Assert.Contains(_h.Consul.Requests, r => r.Method == "GET" && r.Token == "secret-2");
    }

    [Theory]
    [InlineData("/v1/health/service/web?wait=10", "Invalid wait time")]
    [InlineData("/v1/health/service/web?index=-1", "Invalid index")]
    [InlineData("/v1/health/service/web?index=99999999999999999999999", "Invalid index")]
    [InlineData("/v1/health/service/web?passing=maybe", "Invalid value for ?passing")]
    [InlineData("/v1/catalog/service/web?stale&consistent", "Cannot specify ?stale with ?consistent, conflicting semantics.")]
    [InlineData("/v1/catalog/service/", "Missing service name")]
    [InlineData("/v1/catalog/service/web?token=%C3%A9", "Invalid token: ACL tokens are printable ASCII")]
    public async Task Get_BadQuery_400WithReason(string target, string reason)
    {
        using var client = _h.ClientFrom("127.0.0.1");

        using var response = await client.GetAsync(target);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_WaitAboveMaximum_CappedNotRejected()
    {
        using var client = _h.ClientFrom("127.0.0.1");

        var reply = await ConsulReply.GetAsync(client, "/v1/health/service/web?wait=100000h");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Register_GetDeregisterLikePythonConsul_ForwardedAsPut()
    {
        using var client = _h.ClientFrom("127.0.0.1");

        using var register = await client.PutAsync("/v1/agent/service/register", new StringContent("""{"name":"api","id":"api-1","address":"10.0.0.9","port":9000}"""));
        var registered = await ConsulReply.GetAsync(client, "/v1/catalog/service/api");
        using var deregister = await client.GetAsync("/v1/agent/service/deregister/api-1");
        var gone = await ConsulReply.GetAsync(client, $"/v1/catalog/service/api?index={registered.Index}&wait=30s");

        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Equal(["10.0.0.9:9000"], registered.CatalogAddresses());
        Assert.Equal(HttpStatusCode.OK, deregister.StatusCode);
        Assert.Equal("[]", gone.Body);
    }
}
