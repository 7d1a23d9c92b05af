namespace MeshFunctions.Discovery.Upstream;

/// <summary>One answer of upstream Consul: status, body and the blocking-query headers.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">Body bytes as sent.</param>
/// <param name="ContentType">Content-Type as sent (null when absent).</param>
/// <param name="Index"><c>X-Consul-Index</c> (0 when absent).</param>
/// <param name="KnownLeader"><c>X-Consul-KnownLeader</c> (true when absent: the streaming backend omits it).</param>
/// <param name="LastContactMs"><c>X-Consul-LastContact</c> (0 when absent).</param>
internal sealed record UpstreamResult(int Status, byte[] Body, string? ContentType, ulong Index, bool KnownLeader, long LastContactMs);
