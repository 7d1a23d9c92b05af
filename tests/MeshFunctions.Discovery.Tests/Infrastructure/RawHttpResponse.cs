namespace MeshFunctions.Discovery.Tests.Infrastructure;

/// <summary>A response read by <see cref="RawHttpConnection"/>: status line, headers in wire order and casing, body.</summary>
public sealed record RawHttpResponse(string StatusLine, int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
