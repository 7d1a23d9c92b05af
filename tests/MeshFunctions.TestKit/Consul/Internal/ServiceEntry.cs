namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>A service instance registered on a node.</summary>
internal sealed record ServiceEntry(
    string Node,
    string Id,
    string Name,
    IReadOnlyList<string> Tags,
    string Address,
    int Port,
    IReadOnlyDictionary<string, string>? Meta,
    int PassingWeight,
    int WarningWeight,
    ulong CreateIndex,
    ulong ModifyIndex);
