namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>A KV pair; a null or empty <see cref="Value"/> is reported as <c>null</c>, as Consul does.</summary>
internal sealed record KvEntry(
    string Key,
    byte[]? Value,
    ulong Flags,
    string? Session,
    ulong LockIndex,
    ulong CreateIndex,
    ulong ModifyIndex);
