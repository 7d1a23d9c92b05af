namespace MeshFunctions.Core.Resources;

/// <summary>
/// One branch of a service: <c>master</c> is production, <c>box-NNNN</c> a sandbox. Optional
/// <see cref="Versions"/> map a version label to its weight; the weights of a branch sum to 100.
/// </summary>
public sealed record RouterSubset
{
    public string Branch { get; init; } = string.Empty;

    public Dictionary<string, int>? Versions { get; init; }
}
