namespace MeshFunctions.Rls;

/// <summary>What <see cref="ReferenceEnvironment.Map"/> found: <c>Rls:*</c> settings, errors naming their variable, ignored variables.</summary>
public sealed record ReferenceEnvironmentResult(
    IReadOnlyDictionary<string, string?> Settings,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Ignored);
