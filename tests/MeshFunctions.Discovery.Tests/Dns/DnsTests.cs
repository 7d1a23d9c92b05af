using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Dns;

/// <summary>Consul DNS through real resolvers: <c>dig</c> (bind9-dnsutils, source address per caller) and the DnsClient library.</summary>
public sealed class DnsTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(
            consul =>
            {
                consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));
                consul.RegisterService("haproxy-3", "10.0.0.7", "db", ["primary"], 5432, new ConsulCheck(ConsulHealth.Passing));
                consul.RegisterService("haproxy-4", "10.0.0.8", "db", ["replica"], 5432, new ConsulCheck(ConsulHealth.Warning));
                consul.RegisterService("haproxy-5", "10.0.0.9", "db", ["replica"], 5432, new ConsulCheck(ConsulHealth.Critical));
                consul.RegisterService("n-x", "10.0.0.20", new ConsulServiceRegistration("wide", 80) { Id = "w0", Address = "10.0.1.0" });
                for (var i = 1; i <= 5; i++)
                {
                    consul.RegisterService($"n{i}", $"10.0.0.{20 + i}", new ConsulServiceRegistration("wide", 80) { Id = $"w{i}", Address = $"10.0.1.{i}" });
                }
            },
            dns: true);
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Dig_A_MeshCallerGetsServiceIpLegacyCallerGetsHaproxy()
    {
        Assert.Equal(["10.96.0.10"], await DigAsync(MeshCaller, "web.service.consul", "A"));
        Assert.Equal(["10.0.0.5"], await DigAsync(LegacyCaller, "web.service.consul", "A"));
    }

    [Fact]
    public async Task Dig_A_CriticalDroppedWarningKept()
    {
        Assert.Equal(["10.0.0.7", "10.0.0.8"], await DigAsync(LegacyCaller, "db.service.consul", "A"));
    }

    [Fact]
    public async Task Dig_TagAndDatacenter_Filtered()
    {
        Assert.Equal(["10.0.0.7"], await DigAsync(LegacyCaller, "primary.db.service.consul", "A"));
        Assert.Equal(["10.0.0.7", "10.0.0.8"], await DigAsync(LegacyCaller, "db.service.dc1.consul", "A"));
        Assert.Equal(["10.0.0.7"], await DigAsync(LegacyCaller, "_db._primary.service.consul", "A"));
    }

    [Fact]
    public async Task Dig_Srv_TargetsWithAdditionalA()
    {
        var lines = await DigAsync(LegacyCaller, "_db._tcp.service.consul", "SRV", "+noall", "+answer", "+additional");

        Assert.Contains(lines, l => l.Contains("SRV\t1 1 5432 haproxy-3.node.dc1.consul.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("haproxy-3.node.dc1.consul.", StringComparison.Ordinal) && l.EndsWith("A\t10.0.0.7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dig_SrvMeshCaller_AddrTargetWithServiceIp()
    {
        var lines = await DigAsync(MeshCaller, "web.service.consul", "SRV", "+noall", "+answer", "+additional");

        Assert.Contains(lines, l => l.Contains("SRV\t1 1 8080 0a60000a.addr.dc1.consul.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("0a60000a.addr.dc1.consul.", StringComparison.Ordinal) && l.EndsWith("A\t10.96.0.10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dig_UdpOverAnswerLimit_TruncatedThenTcpFallbackHasAll()
    {
        var udp = await DigAsync(LegacyCaller, "wide.service.consul", "A", "+noedns", "+ignore", "+noall", "+comments", "+answer");
        var full = await DigAsync(LegacyCaller, "wide.service.consul", "A", "+noedns", "+short");

        Assert.Contains(udp, l => l.Contains("flags:", StringComparison.Ordinal) && l.Contains(" tc", StringComparison.Ordinal));
        Assert.Equal(3, udp.Count(l => l.Contains("\tA\t", StringComparison.Ordinal)));
        Assert.Equal(6, full.Count);
    }

    [Fact]
    public async Task Dig_UnknownService_NxDomainWithSoa()
    {
        var lines = await DigAsync(LegacyCaller, "nothing.service.consul", "A", "+noall", "+comments", "+authority");

        Assert.Contains(lines, l => l.Contains("status: NXDOMAIN", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("SOA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DnsClient_ARecordsAndSrvOverUdpAndTcp()
    {
        foreach (var tcp in new[] { false, true })
        {
            var lookup = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, _h.DnsPort)) { UseCache = false, UseTcpOnly = tcp, Retries = 0, Timeout = TimeSpan.FromSeconds(10) });

            var a = await lookup.QueryAsync("db.service.consul", QueryType.A);
            var srv = await lookup.QueryAsync("_db._tcp.service.consul", QueryType.SRV);

            Assert.Equal(["10.0.0.7", "10.0.0.8"], a.Answers.ARecords().Select(r => r.Address.ToString()).Order());
            Assert.Equal(2, srv.Answers.SrvRecords().Count());
            Assert.All(srv.Answers.SrvRecords(), r => Assert.Equal(5432, r.Port));
            Assert.Equal(2, srv.Additionals.OfType<ARecord>().Count());
        }
    }

    [Fact]
    public async Task Udp_GarbagePacket_NoCrashNextQueryAnswered()
    {
        using var socket = new UdpClient();
        socket.Connect(IPAddress.Loopback, _h.DnsPort);
        await socket.SendAsync(new byte[] { 0x12, 0x34, 0xff, 0xff, 0, 9, 0, 9, 1, 2, 3 });
        await socket.SendAsync(new byte[4000]);

        Assert.Equal(["10.0.0.5"], await DigAsync(LegacyCaller, "web.service.consul", "A"));
    }

    [Fact]
    public async Task Udp_HeaderWithUnparsableBody_FormErrWithSameId()
    {
        using var socket = new UdpClient();
        socket.Connect(IPAddress.Loopback, _h.DnsPort);
        // A query header announcing one question, then a label that runs past the end of the datagram.
        byte[] packet = [0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 40, (byte)'w', (byte)'e', (byte)'b'];

        // UDP may drop under load: ask again as a resolver would (the attempt count is only a hang guard).
        // One receive stays pending across attempts (an abandoned one would take the next answer).
        UdpReceiveResult? answer = null;
        var pending = socket.ReceiveAsync();
        for (var attempt = 0; attempt < 30 && answer is null; attempt++)
        {
            await socket.SendAsync(packet);
            if (await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(5))) == pending)
            {
                answer = await pending;
            }
        }

        Assert.NotNull(answer);
        var reply = answer.Value.Buffer;
        Assert.Equal([0xbe, 0xef], reply[..2]);
        Assert.Equal(0x80, reply[2] & 0x80);
        Assert.Equal(1, reply[3] & 0x0F);
        Assert.Equal(["10.0.0.5"], await DigAsync(LegacyCaller, "web.service.consul", "A"));
    }

    private async Task<List<string>> DigAsync(string source, string name, string type, params string[] options)
    {
        var info = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["@127.0.0.1", "-p", _h.DnsPort.ToString(), "-b", source, "+time=10", "+tries=1", .. options.Length == 0 ? ["+short"] : options, name, type])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Length > 0).ToList();
        return options.Length == 0 ? [.. lines.Order()] : lines;
    }
}
