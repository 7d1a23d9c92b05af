using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>Resolves <c>%Setting%</c> expressions and connection names from app settings, as the host does.</summary>
internal static partial class BindingExpressions
{
    /// <summary>Replaces every <c>%Name%</c>; null with <paramref name="missing"/> set when a setting is absent.</summary>
    public static string? Resolve(string text, IConfiguration configuration, out string? missing)
    {
        string? absent = null;
        var resolved = SettingPattern().Replace(text, match =>
        {
            var value = configuration[match.Groups[1].Value];
            if (value is null)
            {
                absent ??= match.Groups[1].Value;
                return string.Empty;
            }

            return value;
        });
        missing = absent;
        return absent is null ? resolved : null;
    }

    /// <summary>The connection string for a binding's <c>connection</c> (default AzureWebJobsStorage; also tries the AzureWebJobs prefix).</summary>
    public static string? Connection(string? name, IConfiguration configuration)
    {
        var key = string.IsNullOrEmpty(name) ? "AzureWebJobsStorage" : name;
        return configuration[key] ?? configuration["AzureWebJobs" + key] ?? configuration.GetConnectionString(key);
    }

    /// <summary>Azure's queue naming rule: 3-63 lowercase letters, digits and single hyphens, not at either end.</summary>
    public static bool IsValidQueueName(string name) => QueueNamePattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueNamePattern();
}
