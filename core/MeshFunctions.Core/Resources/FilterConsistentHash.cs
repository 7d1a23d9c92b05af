using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>ConsistentHashLB</c>: hash on exactly one of a header, a cookie, the source IP or a query parameter.</summary>
public sealed record FilterConsistentHash
{
    public string? HttpHeaderName { get; init; }

    public FilterHttpCookie? HttpCookie { get; init; }

    public bool? UseSourceIp { get; init; }

    public string? HttpQueryParameterName { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        var set = (HttpHeaderName is null ? 0 : 1) + (HttpCookie is null ? 0 : 1) + (UseSourceIp is true ? 1 : 0) + (HttpQueryParameterName is null ? 0 : 1);
        if (set != 1)
        {
            yield return Diagnostic.Error(path, "must set exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName");
        }

        if (HttpHeaderName is not null && !FilterRules.IsHeaderName(HttpHeaderName))
        {
            yield return Diagnostic.Error(path + ".httpHeaderName", $"'{HttpHeaderName}' is not a valid header name");
        }

        if (HttpCookie is not null && string.IsNullOrEmpty(HttpCookie.Name))
        {
            yield return Diagnostic.Error(path + ".httpCookie.name", "is required");
        }

        foreach (var d in FilterRules.Duration(HttpCookie?.Ttl, path + ".httpCookie.ttl", TimeSpan.Zero))
        {
            yield return d;
        }
    }
}
