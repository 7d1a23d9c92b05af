namespace MeshFunctions.TestKit.Consul;

/// <summary>Settings of a <see cref="FakeConsul"/>; every default matches a single-server Consul 1.21 cluster.</summary>
public sealed class FakeConsulOptions
{
    /// <summary>Datacenter name (default <c>dc1</c>); <c>?dc=</c> naming another one answers 500 "No path to datacenter".</summary>
    public string Datacenter { get; init; } = "dc1";

    /// <summary>The server agent's node name (default <c>consul-server-1</c>); agent registrations land on it.</summary>
    public string NodeName { get; init; } = "consul-server-1";

    /// <summary>The server agent's address (default 127.0.0.1), reported by <c>/v1/status/leader</c> with port 8300.</summary>
    public string NodeAddress { get; init; } = "127.0.0.1";

    /// <summary>Version reported in node meta and <c>/v1/agent/self</c> (default 1.21.3).</summary>
    public string Version { get; init; } = "1.21.3";

    /// <summary>Registers the <c>consul</c> service on the server node, as every real cluster has (default true).</summary>
    public bool IncludeConsulService { get; init; } = true;

    /// <summary>Loopback port to listen on; 0 (default) picks a free one. Restarts keep the port.</summary>
    public int Port { get; init; }

    /// <summary>Optional JSON fixture loaded at start (format in README.md).</summary>
    public string? FixturePath { get; init; }

    /// <summary>Clock for blocking-query waits (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
