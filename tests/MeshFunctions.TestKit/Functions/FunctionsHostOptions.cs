using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Functions;

/// <summary>How <see cref="FunctionsHost"/> hosts an isolated-worker app. Defaults follow host.json's queue defaults.</summary>
public sealed class FunctionsHostOptions
{
    /// <summary>The app's assembly (the one the Worker SDK built functions.metadata for).</summary>
    public required Assembly AppAssembly { get; init; }

    /// <summary>Path of functions.metadata; default: next to <see cref="AppAssembly"/>, or next to the test binaries.</summary>
    public string? MetadataPath { get; init; }

    /// <summary>
    /// App settings, as the host would read them: <c>%Name%</c> binding expressions, connection strings
    /// (<c>AzureWebJobsStorage</c> or a binding's <c>connection</c>), and whatever the app reads from configuration.
    /// </summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Registers the app's services the way its Program.cs does, typically by calling its own AddXxx extension.</summary>
    public Action<IServiceCollection, IConfiguration>? ConfigureServices { get; init; }

    /// <summary>host.json <c>maxDequeueCount</c>: attempts before a message moves to the poison queue (default 5).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>host.json <c>visibilityTimeout</c>: delay before a failed message is visible again (default 0).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>host.json <c>batchSize</c>: messages fetched per poll (default 16, at most 32).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Invocations run at once per polled batch (default 1: one message at a time, deterministic). The real host
    /// runs up to <c>batchSize + newBatchThreshold</c> per instance; raise this to let races happen in a test.
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>First pause after a queue was found empty (default 100 ms, the host's minimum polling interval).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// host.json <c>maxPollingInterval</c>: each further empty poll of a queue doubles its pause up to this (the host's
    /// exponential back-off; it defaults to 1 min there). Default here: <see cref="PollInterval"/>, i.e. no back-off.
    /// </summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Create missing trigger queues at start (default false: a trigger queue that does not exist fails the start,
    /// which is how a wrong queue name in functions.metadata shows up in a test).
    /// </summary>
    public bool CreateQueues { get; init; }

    /// <summary>Serializer for POCO triggers and outputs (default: case-insensitive names, like the worker's default).</summary>
    public JsonSerializerOptions Serializer { get; init; } = new() { PropertyNameCaseInsensitive = true };
}
