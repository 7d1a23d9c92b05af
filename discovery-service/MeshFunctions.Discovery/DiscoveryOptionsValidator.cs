using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery;

/// <summary>Reports every invalid setting at once, at start.</summary>
internal sealed class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscoveryOptions options)
    {
        var errors = new List<string>();
        if (!options.UpstreamAddress.IsAbsoluteUri || options.UpstreamAddress.Scheme is not ("http" or "https"))
        {
            errors.Add($"Discovery:UpstreamAddress must be an absolute http(s) URL, got '{options.UpstreamAddress}'");
        }

        foreach (var (key, port) in new[] { ("HttpPort", options.HttpPort), ("GrpcPort", options.GrpcPort) })
        {
            if (port is < 0 or > 65535)
            {
                errors.Add($"Discovery:{key} must be between 0 and 65535, got {port}");
            }
        }

        if (options.DnsPort is < -1 or > 65535)
        {
            errors.Add($"Discovery:DnsPort must be between -1 (off) and 65535, got {options.DnsPort}");
        }

        if (options.UpstreamWait <= TimeSpan.Zero || options.UpstreamWait > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Discovery:UpstreamWait must be more than 0 and at most 10 minutes, got {options.UpstreamWait}");
        }

        if (options.ViewIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Discovery:ViewIdleTimeout must be positive, got {options.ViewIdleTimeout}");
        }

        if (string.IsNullOrWhiteSpace(options.Datacenter) || string.IsNullOrWhiteSpace(options.MeshNodeName))
        {
            errors.Add("Discovery:Datacenter and Discovery:MeshNodeName must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.SwitchNamespace) || string.IsNullOrWhiteSpace(options.SwitchConfigMap))
        {
            errors.Add("Discovery:SwitchNamespace and Discovery:SwitchConfigMap must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.StateConfigMap) || options.StateConfigMap == options.SwitchConfigMap)
        {
            errors.Add($"Discovery:StateConfigMap must be set and differ from Discovery:SwitchConfigMap, got '{options.StateConfigMap}'");
        }

        if (options.MaxStoredTombstones is < 1 or > 20_000)
        {
            errors.Add($"Discovery:MaxStoredTombstones must be between 1 and 20000 (a ConfigMap holds at most 1 MiB), got {options.MaxStoredTombstones}");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"Discovery:MaxRequestBodyBytes must be between 1 KiB and 64 MiB, got {options.MaxRequestBodyBytes}");
        }

        if (options.MaxUpstreamViews < 1)
        {
            errors.Add($"Discovery:MaxUpstreamViews must be at least 1, got {options.MaxUpstreamViews}");
        }

        if (options.DnsUdpAnswerLimit < 1)
        {
            errors.Add($"Discovery:DnsUdpAnswerLimit must be at least 1, got {options.DnsUdpAnswerLimit}");
        }

        if (options.DnsUdpInFlight is < 1 or > 65536)
        {
            errors.Add($"Discovery:DnsUdpInFlight must be between 1 and 65536, got {options.DnsUdpInFlight}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
