namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// Which requests a fault applies to. Null members match anything. Verbs are the API server's audit verbs:
/// <c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>,
/// <c>deletecollection</c>; <c>discovery</c> for <c>/api</c>, <c>/apis</c>, <c>/version</c>.
/// </summary>
/// <param name="Verb">Audit verb, or null for any.</param>
/// <param name="Plural">Resource plural such as <c>services</c>, or null for any.</param>
public sealed record KubeRequestMatch(string? Verb = null, string? Plural = null)
{
    /// <summary>Matches every request.</summary>
    public static KubeRequestMatch Any { get; } = new();

    internal bool Matches(string verb, string? plural) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && (Plural is null || string.Equals(Plural, plural, StringComparison.OrdinalIgnoreCase));
}
