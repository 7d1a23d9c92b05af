using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission;

/// <summary>What <see cref="WorkloadMutator.Mutate"/> decided.</summary>
public sealed record MutationResult
{
    /// <summary>False when the object must be rejected; <see cref="Reason"/> says why and <see cref="Patch"/> is empty.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why the object was denied (names the field and what was expected); null when allowed.</summary>
    public string? Reason { get; init; }

    /// <summary>RFC 6902 operations that turn the input into <see cref="Mutated"/>; empty when nothing changes.</summary>
    public IReadOnlyList<JsonPatchOperation> Patch { get; init; } = [];

    /// <summary>The object after mutation (a copy from <see cref="WorkloadMutator.Mutate(JsonObject, MutationContext?)"/>; the input itself from <see cref="WorkloadMutator.MutateOwned"/>).</summary>
    public required JsonObject Mutated { get; init; }

    /// <summary>Advice for the user (sent as admission warnings: short, no "Warning:" prefix).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the pods are opted in to sidecar injection.</summary>
    public bool Injected { get; init; }
}
