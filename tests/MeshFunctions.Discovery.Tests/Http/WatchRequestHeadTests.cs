using System.Text;
using MeshFunctions.Discovery.Http;

namespace MeshFunctions.Discovery.Tests.Http;

/// <summary>Which request heads the transport path claims; everything else is left for Kestrel's HTTP/1.1 parser.</summary>
public sealed class WatchRequestHeadTests
{
    private const string Python = "GET /v1/health/service/web?index=5&wait=1m HTTP/1.1\r\nHost: 127.0.0.1:8500\r\nUser-Agent: python-requests/2.31\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\nX-Consul-Token: t-1\r\n\r\n";

    [Theory]
    [InlineData(Python)]
    [InlineData("GET /v1/catalog/service/web?index=5&tag=v1 HTTP/1.1\r\nhost: a\r\n\r\n")]
    [InlineData("GET /v1/kv/cfg%2Fapp?index=5&raw HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET /v1/catalog/services?index=9 HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\n")]
    public void TryParse_BlockingRead_Claimed(string head)
    {
        var parsed = WatchRequestHead.TryParse(Encoding.ASCII.GetBytes(head));

        Assert.NotNull(parsed);
        Assert.Equal(head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4, parsed.Length);
        Assert.True(parsed.Target.Has("index"));
    }

    [Theory]
    [InlineData("GET /v1/health/service/web HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("HEAD /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("PUT /v1/kv/x?index=1 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.0\r\nHost: a\r\n\r\n")]
    [InlineData("GET http://a/v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/status/leader?index=1 HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n")]
    [InlineData("GET /v1/health/service/web?index=1&x=%zz HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1&x=a\"b HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nX: caf\u00e9\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n")]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")]
    [InlineData("GET  /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void TryParse_AnythingElse_LeftForKestrel(string head)
    {
        Assert.Null(WatchRequestHead.TryParse(Encoding.Latin1.GetBytes(head)));
    }

    [Fact]
    public void TryParse_HeadPastLimit_LeftForKestrel()
    {
        var head = "GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nX-Pad: " + new string('a', WatchRequestHead.MaxBytes) + "\r\n\r\n";

        Assert.Null(WatchRequestHead.TryParse(Encoding.ASCII.GetBytes(head)));
    }

    [Theory]
    [InlineData(Python, "t-1", false)]
    [InlineData("GET /v1/health/service/web?index=1&token=q-1 HTTP/1.1\r\nHost: a\r\nX-Consul-Token: t-1\r\nConnection: close\r\n\r\n", "q-1", true)]
    [InlineData("GET /v1/health/service/web?index=1&token= HTTP/1.1\r\nHost: a\r\nx-consul-token: t-2\r\nx-consul-token: t-3\r\n\r\n", "t-2", false)]
    [InlineData("GET /v1/health/service/web?index=1 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n", null, true)]
    public void TryParse_TokenAndClose_AsKestrelsPathReadsThem(string head, string? token, bool close)
    {
        var parsed = WatchRequestHead.TryParse(Encoding.ASCII.GetBytes(head))!;

        Assert.Equal(token, parsed.Token);
        Assert.Equal(close, parsed.Close);
    }
}
