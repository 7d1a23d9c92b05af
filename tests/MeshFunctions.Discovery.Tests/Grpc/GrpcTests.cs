using Grpc.Core;
using Grpc.Net.Client;
using MeshFunctions.Discovery.Grpc.V1;
using MeshFunctions.Discovery.Tests.Infrastructure;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Tests.Grpc;

/// <summary>The gRPC API over h2c: Resolve and the server-streaming Watch follow the same rule as HTTP.</summary>
public sealed class GrpcTests : IAsyncLifetime
{
    private const string MeshCaller = "127.0.0.2";
    private const string LegacyCaller = "127.0.0.3";
    private DiscoveryHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscoveryHarness.StartAsync(consul => consul.RegisterService("haproxy-1", "10.0.0.5", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing)));
        _h.SeedPod("mesh-client", MeshCaller, inMesh: true);
        _h.SeedPod("legacy-client", LegacyCaller, inMesh: false);
        _h.SeedMeshTarget("web", "10.96.0.10", 8080);
        await _h.WaitForCatalogAsync(MeshCaller, "web", "10.96.0.10:8080");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Resolve_MeshAndLegacyCallers_TheirOwnAnswers()
    {
        using var meshChannel = Channel(MeshCaller);
        using var legacyChannel = Channel(LegacyCaller);

        var mesh = await new MeshFunctions.Discovery.Grpc.V1.Discovery.DiscoveryClient(meshChannel).ResolveAsync(new ResolveRequest { Service = "web", PassingOnly = true });
        var legacy = await new MeshFunctions.Discovery.Grpc.V1.Discovery.DiscoveryClient(legacyChannel).ResolveAsync(new ResolveRequest { Service = "web", PassingOnly = true });

        Assert.Equal(AnswerKind.Mesh, mesh.Kind);
        Assert.Equal("10.96.0.10:8080", $"{mesh.Endpoints.Single().Address}:{mesh.Endpoints.Single().Port}");
        Assert.Equal(AnswerKind.Legacy, legacy.Kind);
        Assert.Equal("10.0.0.5:8080", $"{legacy.Endpoints.Single().Address}:{legacy.Endpoints.Single().Port}");
        Assert.Equal(["v1"], legacy.Endpoints.Single().Tags);
    }

    [Fact]
    public async Task Watch_EndpointsGoUnready_StreamsLegacyAnswer()
    {
        using var channel = Channel(MeshCaller);
        using var cts = new CancellationTokenSource(DiscoveryHarness.Patience);
        using var call = new MeshFunctions.Discovery.Grpc.V1.Discovery.DiscoveryClient(channel).Watch(new WatchRequest { Service = "web" }, cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var first = call.ResponseStream.Current;
        await _h.SetReadyAsync("web", false);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        var second = call.ResponseStream.Current;

        Assert.Equal(AnswerKind.Mesh, first.Kind);
        Assert.Equal(AnswerKind.Legacy, second.Kind);
        Assert.True(second.Index > first.Index);
        Assert.Equal("10.0.0.5", second.Endpoints.Single().Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    public async Task Resolve_BadServiceName_InvalidArgument(string service)
    {
        using var channel = Channel(LegacyCaller);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new MeshFunctions.Discovery.Grpc.V1.Discovery.DiscoveryClient(channel).ResolveAsync(new ResolveRequest { Service = service }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private GrpcChannel Channel(string sourceIp) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{_h.GrpcPort}", new GrpcChannelOptions { HttpHandler = DiscoveryHarness.CreateHandler(sourceIp) });
}
