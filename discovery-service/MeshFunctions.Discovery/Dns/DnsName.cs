namespace MeshFunctions.Discovery.Dns;

/// <summary>
/// A parsed Consul DNS name below the domain: <c>[tag.]svc.service[.dc]</c>, RFC 2782
/// <c>_svc._(tcp|tag)[.service][.dc]</c>, or <c>hexip.addr[.dc]</c>.
/// </summary>
internal sealed record DnsName(DnsNameKind Kind, string Service, string? Tag, string? Datacenter, bool Rfc2782)
{
    public static DnsName? Parse(IReadOnlyList<string> labels)
    {
        // labels are below the domain, left to right, already lower-cased
        var serviceAt = IndexOf(labels, "service");
        if (labels.Count >= 2 && labels[0].StartsWith('_') && labels[1].StartsWith('_'))
        {
            var rest = labels.Count - 2;
            var dc = rest switch
            {
                0 => null,
                1 when labels[2] == "service" => null,
                1 => labels[2],
                2 when labels[2] == "service" => labels[3],
                _ => "\0",
            };
            if (dc == "\0" || labels[0].Length < 2 || labels[1].Length < 2)
            {
                return null;
            }

            var protocol = labels[1][1..];
            return new DnsName(DnsNameKind.Service, labels[0][1..], protocol == "tcp" ? null : protocol, dc, true);
        }

        if (serviceAt is 1 or 2 && labels.Count - serviceAt <= 2)
        {
            var dc = labels.Count - serviceAt == 2 ? labels[serviceAt + 1] : null;
            return serviceAt == 1
                ? new DnsName(DnsNameKind.Service, labels[0], null, dc, false)
                : new DnsName(DnsNameKind.Service, labels[1], labels[0], dc, false);
        }

        var addrAt = IndexOf(labels, "addr");
        if (addrAt == 1 && labels.Count <= 3)
        {
            return new DnsName(DnsNameKind.Address, labels[0], null, labels.Count == 3 ? labels[2] : null, false);
        }

        return null;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }

        return -1;
    }
}
