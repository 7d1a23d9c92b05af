namespace MeshFunctions.Core.Istio;

/// <summary>Istio's host name resolution (<c>ResolveShortnameToFQDN</c>): short names live in the object's namespace.</summary>
internal static class MeshHosts
{
    /// <summary><c>reviews</c> in <c>prod</c> → <c>reviews.prod.svc.cluster.local</c>; names with a dot or a wildcard stay as written.</summary>
    public static string Resolve(string host, string? ns, string clusterDomain)
    {
        if (host == "*" || host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal))
        {
            return host;
        }

        return host + "." + (string.IsNullOrEmpty(ns) ? "default" : ns) + ".svc." + clusterDomain;
    }

    /// <summary>The namespace of a Kubernetes service FQDN (<c>reviews.prod.svc.cluster.local</c> → <c>prod</c>), else null.</summary>
    public static string? ServiceNamespace(string fqdn, string clusterDomain)
    {
        // <name>.<namespace>.svc.<domain>, read in place (called for every lookup of the admission hot path).
        var span = fqdn.AsSpan();
        if (!span.EndsWith(clusterDomain, StringComparison.Ordinal) || !span[..^clusterDomain.Length].EndsWith(".svc.", StringComparison.Ordinal))
        {
            return null;
        }

        var head = span[..^(clusterDomain.Length + ".svc.".Length)];
        var dot = head.IndexOf('.');
        return dot >= 0 && head[(dot + 1)..].IndexOf('.') < 0 ? head[(dot + 1)..].ToString() : null;
    }

    /// <summary>True when <paramref name="pattern"/> (an FQDN or <c>*.suffix</c>) matches <paramref name="host"/>.</summary>
    public static bool Matches(string pattern, string host) =>
        pattern == host || pattern == "*"
        || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.Ordinal));
}
