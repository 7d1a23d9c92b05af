namespace MeshFunctions.TestKit.Consul;

/// <summary>A health check to register with a service in <see cref="FakeConsul"/>.</summary>
/// <param name="Status"><c>passing</c>, <c>warning</c> or <c>critical</c> (see <see cref="ConsulHealth"/>).</param>
/// <param name="CheckId">Check id; null gives Consul's agent default <c>service:&lt;service id&gt;</c> (suffixed <c>:N</c> when there are several).</param>
/// <param name="Name">Check name; null gives <c>Service '&lt;name&gt;' check</c> like the agent.</param>
/// <param name="Type">Check type as Consul reports it (<c>http</c>, <c>tcp</c>, <c>ttl</c>, …); empty by default.</param>
/// <param name="Output">Last output of the check.</param>
public sealed record ConsulCheck(
    string Status = ConsulHealth.Passing,
    string? CheckId = null,
    string? Name = null,
    string Type = "",
    string Output = "")
{
    /// <summary>Interval as a Go duration string, e.g. <c>10s</c>; empty by default.</summary>
    public string Interval { get; init; } = string.Empty;

    /// <summary>Timeout as a Go duration string; empty by default.</summary>
    public string Timeout { get; init; } = string.Empty;

    /// <summary>Free-form notes.</summary>
    public string Notes { get; init; } = string.Empty;
}
