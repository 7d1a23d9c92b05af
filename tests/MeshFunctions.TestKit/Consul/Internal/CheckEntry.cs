namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>A health check; <see cref="ServiceId"/> is empty for node-level checks such as <c>serfHealth</c>.</summary>
internal sealed record CheckEntry(
    string Node,
    string CheckId,
    string Name,
    string Status,
    string Notes,
    string Output,
    string ServiceId,
    string ServiceName,
    IReadOnlyList<string> ServiceTags,
    string Type,
    string Interval,
    string Timeout,
    ulong CreateIndex,
    ulong ModifyIndex);
