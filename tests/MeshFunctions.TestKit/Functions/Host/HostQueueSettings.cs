using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>
/// The queue listener's settings as the host reads them: host.json <c>extensions.queues</c>, overridden by app settings
/// named <c>AzureFunctionsJobHost:extensions:queues:…</c>; unset values take the storage extension's defaults.
/// </summary>
/// <param name="MaxDequeueCount">Deliveries before a failing message moves to <c>&lt;queue&gt;-poison</c> (default 5).</param>
/// <param name="VisibilityTimeout">Delay before a failed message is visible again (default 0).</param>
/// <param name="BatchSize">Messages fetched per poll (default 16, at most 32).</param>
/// <param name="NewBatchThreshold">In-flight count at or below which the next batch is fetched (default batchSize / 2, one vCPU).</param>
/// <param name="Base64">Messages are base64 (<c>messageEncoding: base64</c>, the default) or plain text (<c>none</c>).</param>
/// <param name="MaxPollingInterval">Longest pause between polls of an empty queue; the pause doubles from 100 ms up to it (default 1 min).</param>
public sealed record HostQueueSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, int BatchSize, int NewBatchThreshold, bool Base64, TimeSpan MaxPollingInterval)
{
    /// <summary>The host's shortest polling interval, where the back-off starts; <c>maxPollingInterval</c> may not be less.</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private const string Section = "extensions:queues:";

    /// <summary>Reads <paramref name="hostJsonPath"/> and the overrides; every invalid value is listed in one <see cref="FunctionsHostException"/>.</summary>
    public static HostQueueSettings Read(string hostJsonPath, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        if (!File.Exists(hostJsonPath))
        {
            throw new FunctionsHostException($"{hostJsonPath}: host.json not found (the host refuses to start an app without one)");
        }

        var overrides = settings
            .Select(s => (Key: s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value))
            .Where(s => s.Key.StartsWith("AzureFunctionsJobHost:", StringComparison.OrdinalIgnoreCase))
            .Select(s => new KeyValuePair<string, string?>(s.Key["AzureFunctionsJobHost:".Length..], s.Value));
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(hostJsonPath, optional: false).AddInMemoryCollection(overrides).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            throw new FunctionsHostException($"{hostJsonPath}: not valid JSON: {ex.Message}");
        }

        var problems = new List<string>();
        if (configuration["version"] != "2.0")
        {
            problems.Add($"version: '{configuration["version"]}' (the Functions v4 host needs \"2.0\")");
        }

        var maxDequeueCount = Integer(configuration, "maxDequeueCount", 5, 1, int.MaxValue, problems);
        var batchSize = Integer(configuration, "batchSize", 16, 1, 32, problems);
        var threshold = Integer(configuration, "newBatchThreshold", batchSize / 2, 0, int.MaxValue, problems);
        var visibility = configuration[Section + "visibilityTimeout"] is { } text
            ? TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) && parsed >= TimeSpan.Zero
                ? parsed
                : Problem(problems, $"visibilityTimeout: '{text}' is not a non-negative hh:mm:ss time span", TimeSpan.Zero)
            : TimeSpan.Zero;
        var maxPolling = configuration[Section + "maxPollingInterval"] is { } pollingText
            ? TimeSpan.TryParse(pollingText, CultureInfo.InvariantCulture, out var polling) && polling >= MinPollingInterval
                ? polling
                : Problem(problems, $"maxPollingInterval: '{pollingText}' is not an hh:mm:ss time span of at least {MinPollingInterval.TotalMilliseconds} ms", TimeSpan.FromMinutes(1))
            : TimeSpan.FromMinutes(1);
        var encoding = configuration[Section + "messageEncoding"] ?? "base64";
        if (!encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"messageEncoding: '{encoding}' (expected base64 or none)");
        }

        if (problems.Count > 0)
        {
            throw new FunctionsHostException($"{hostJsonPath}: invalid extensions.queues settings:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }

        return new HostQueueSettings(maxDequeueCount, visibility, batchSize, threshold, encoding.Equals("base64", StringComparison.OrdinalIgnoreCase), maxPolling);
    }

    private static int Integer(IConfiguration configuration, string name, int fallback, int min, int max, List<string> problems)
    {
        if (configuration[Section + name] is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : Problem(problems, $"{name}: '{text}' is not an integer between {min} and {max}", fallback);
    }

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
