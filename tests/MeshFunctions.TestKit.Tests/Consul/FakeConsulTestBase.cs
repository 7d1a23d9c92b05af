using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>A fresh <see cref="FakeConsul"/> and an HTTP client for it, per test.</summary>
public abstract class FakeConsulTestBase : IAsyncLifetime
{
    protected FakeConsul Consul { get; private set; } = null!;

    protected ConsulHttp Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Consul = await FakeConsul.StartAsync();
        Http = new ConsulHttp(Consul.Address);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Consul.DisposeAsync();
    }
}
