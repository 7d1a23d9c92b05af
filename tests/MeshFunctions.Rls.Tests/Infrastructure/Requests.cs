using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>Shorthands for building RateLimitRequests.</summary>
public static class Requests
{
    public static RateLimitDescriptor Descriptor(params (string Key, string Value)[] entries)
    {
        var d = new RateLimitDescriptor();
        foreach (var (key, value) in entries)
        {
            d.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        }

        return d;
    }

    public static RateLimitRequest Request(string domain, params RateLimitDescriptor[] descriptors)
    {
        var r = new RateLimitRequest { Domain = domain };
        r.Descriptors.AddRange(descriptors);
        return r;
    }

    public static RateLimitRequest Request(string domain, params (string Key, string Value)[] entries) => Request(domain, Descriptor(entries));
}
