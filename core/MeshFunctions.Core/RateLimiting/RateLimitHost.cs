using System.Globalization;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// One entry of a RateLimit's <c>spec.hosts</c>, resolved to the Kubernetes Service whose workload
/// enforces it: <c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc</c> or <c>svc.ns.svc.&lt;clusterDomain&gt;</c>,
/// each with an optional <c>:port</c>.
/// </summary>
public sealed record RateLimitHost(string Service, string Namespace, int? Port, string ClusterDomain)
{
    /// <summary>The fully qualified host (<c>svc.ns.svc.cluster.local[:port]</c>): the descriptor value of the host entry.</summary>
    public string Canonical =>
        $"{Service}.{Namespace}.svc.{ClusterDomain}" + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>Checks the <c>host[:port]</c> syntax alone; null when it is well formed.</summary>
    public static string? CheckSyntax(string host)
    {
        if (host.Contains('/', StringComparison.Ordinal))
        {
            return $"'{host}' is not a valid host: write host[:port], without a scheme or path";
        }

        var (name, portText) = Split(host);
        if (portText is not null && !TryParsePort(portText, out _))
        {
            return $"'{host}' has an invalid port '{portText}': expected a number from 1 to 65535";
        }

        if (name.Contains('*', StringComparison.Ordinal))
        {
            return $"'{host}' is a wildcard; a RateLimit protects one service, so name it exactly";
        }

        if (!Names.IsDns1123Subdomain(name))
        {
            return $"'{host}' is not a valid host: expected a lower-case DNS name such as svc.ns.svc.cluster.local with an optional :port";
        }

        return null;
    }

    /// <summary>Resolves <paramref name="host"/>; <paramref name="error"/> says why when it is not a service of this cluster.</summary>
    public static RateLimitHost? TryParse(string host, string defaultNamespace, string clusterDomain, out string? error)
    {
        error = CheckSyntax(host);
        if (error is not null)
        {
            return null;
        }

        var (name, portText) = Split(host);
        int? port = portText is null ? null : int.Parse(portText, CultureInfo.InvariantCulture);
        var labels = name.Split('.');
        var suffix = "svc." + clusterDomain;
        if (name.EndsWith("." + suffix, StringComparison.Ordinal))
        {
            labels = name[..^(suffix.Length + 1)].Split('.');
            if (labels.Length != 2)
            {
                labels = [];
            }
        }
        else if (labels.Length == 3 && labels[2] == "svc")
        {
            labels = labels[..2];
        }

        switch (labels.Length)
        {
            case 1 when Names.IsDns1123Label(labels[0]):
                return new RateLimitHost(labels[0], defaultNamespace, port, clusterDomain);
            case 2 when Names.IsDns1123Label(labels[0]) && Names.IsDns1123Label(labels[1]):
                return new RateLimitHost(labels[0], labels[1], port, clusterDomain);
            default:
                error = $"'{host}' is not a service of this cluster: write svc, svc.ns or svc.ns.svc.{clusterDomain}, with an optional :port";
                return null;
        }
    }

    private static (string Name, string? Port) Split(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon < 0 ? (host, null) : (host[..colon], host[(colon + 1)..]);
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535 && text[0] != '0';
}
