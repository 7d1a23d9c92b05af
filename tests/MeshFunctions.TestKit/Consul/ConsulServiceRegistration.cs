namespace MeshFunctions.TestKit.Consul;

/// <summary>Full description of one service instance for <see cref="FakeConsul.RegisterService(string, string, ConsulServiceRegistration)"/>.</summary>
/// <param name="Name">Service name.</param>
/// <param name="Port">Service port.</param>
public sealed record ConsulServiceRegistration(string Name, int Port)
{
    /// <summary>Instance id, unique per node; defaults to <see cref="Name"/> as Consul does.</summary>
    public string? Id { get; init; }

    /// <summary>Tags; never null on the wire (Consul turns nil into <c>[]</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Service address; empty means "use the node address", as clients fall back.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Service metadata; null is sent as <c>null</c> in health answers and <c>{}</c> in catalog answers.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    /// <summary>DNS SRV weight while passing (default 1).</summary>
    public int PassingWeight { get; init; } = 1;

    /// <summary>DNS SRV weight while warning (default 1).</summary>
    public int WarningWeight { get; init; } = 1;

    /// <summary>The instance's own health checks.</summary>
    public IReadOnlyList<ConsulCheck> Checks { get; init; } = [];
}
