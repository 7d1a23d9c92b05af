namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>A catalog node.</summary>
internal sealed record NodeEntry(
    string Id,
    string Name,
    string Address,
    IReadOnlyDictionary<string, string> Meta,
    ulong CreateIndex,
    ulong ModifyIndex);
