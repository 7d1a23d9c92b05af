namespace MeshFunctions.Core.Admission;

/// <summary>What <see cref="WorkloadMutator.Decide(System.Text.Json.JsonElement, MutationContext?)"/> decided for a workload it only read.</summary>
public sealed record MutationDecision
{
    /// <summary>False when the object must be rejected; <see cref="Reason"/> says why and <see cref="Patch"/> is empty.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why the object was denied (names the field and what was expected); null when allowed.</summary>
    public string? Reason { get; init; }

    /// <summary>RFC 6902 operations that turn the input into the mutated object; empty when nothing changes.</summary>
    public IReadOnlyList<JsonPatchOperation> Patch { get; init; } = [];

    /// <summary>Advice for the user (sent as admission warnings: short, no "Warning:" prefix).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the pods are opted in to sidecar injection.</summary>
    public bool Injected { get; init; }
}
