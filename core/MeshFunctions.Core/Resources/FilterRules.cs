using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Field checks shared by the IstioFilter feature blocks (run at parse time, never while patching).</summary>
internal static class FilterRules
{
    /// <summary>Istio rejects durations under 1 ms (CEL rule <c>duration(self) &gt;= duration('1ms')</c>).</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(1);

    public static IEnumerable<Diagnostic> Duration(string? value, string path, TimeSpan? minimum = null)
    {
        if (value is null)
        {
            yield break;
        }

        if (!FilterDuration.TryParse(value, out var duration, out var error))
        {
            yield return Diagnostic.Error(path, $"'{value}' is not a duration: {error}");
            yield break;
        }

        if (duration < TimeSpan.Zero)
        {
            yield return Diagnostic.Error(path, $"must not be negative, got '{value}'");
            yield break;
        }

        var min = minimum ?? MinimumDuration;
        if (duration < min)
        {
            yield return Diagnostic.Error(path, $"must be at least {FilterDuration.Format(min)}, got '{value}'");
        }
    }

    public static IEnumerable<Diagnostic> Percent(FilterPercent? percent, string path)
    {
        if (percent is not null && (double.IsNaN(percent.Value) || percent.Value is < 0 or > 100))
        {
            yield return Diagnostic.Error(path + ".value", $"must be between 0 and 100, got {percent.Value.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public static IEnumerable<Diagnostic> NonNegative(long? value, string path)
    {
        if (value is < 0)
        {
            yield return Diagnostic.Error(path, $"must be zero or more, got {value}");
        }
    }

    public static IEnumerable<Diagnostic> Regex(string? pattern, string path)
    {
        if (pattern is null)
        {
            yield break;
        }

        string? error = null;
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        if (error is not null)
        {
            yield return Diagnostic.Error(path, $"is not a valid regular expression: {error}");
        }
    }

    /// <summary>An IP address or CIDR block (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>), as Istio's <c>ipBlocks</c> accept.</summary>
    public static IEnumerable<Diagnostic> IpBlocks(List<string>? blocks, string path)
    {
        for (var i = 0; blocks is not null && i < blocks.Count; i++)
        {
            if (!IsIpBlock(blocks[i]))
            {
                yield return Diagnostic.Error($"{path}[{i}]", $"'{blocks[i]}' is not an IP address or CIDR block (such as 10.0.0.0/8)");
            }
        }
    }

    public static IEnumerable<Diagnostic> NonEmptyItems(List<string>? items, string path)
    {
        for (var i = 0; items is not null && i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]))
            {
                yield return Diagnostic.Error($"{path}[{i}]", "must not be empty");
            }
        }
    }

    /// <summary>An HTTP header name (RFC 9110 token characters), so it can be embedded safely in Lua and Envoy config.</summary>
    public static bool IsHeaderName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIpBlock(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? value : value[..slash];
        if (!IPAddress.TryParse(address, out var ip) || address.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        if (slash < 0)
        {
            return true;
        }

        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = value[(slash + 1)..];
        return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit)
            && int.Parse(prefix, CultureInfo.InvariantCulture) <= max;
    }
}
