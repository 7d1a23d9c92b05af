using System.Collections.Concurrent;
using Azure.Storage.Queues;
using MeshFunctions.TestKit.Functions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshFunctions.TestKit.Functions;

/// <summary>
/// Hosts an isolated-worker Functions app's queue- and timer-triggered functions the way the Functions host
/// would, against a real queue service (Azurite): it reads functions.metadata to learn which method listens to
/// which queue, decodes base64 messages, binds parameters, retries failures until <c>maxDequeueCount</c> and then
/// moves the message to <c>&lt;queue&gt;-poison</c>, writes queue outputs, and fires timers on demand.
/// Messages are processed one at a time, so runs are deterministic (see README.md for the differences).
/// </summary>
public sealed partial class FunctionsHost : IAsyncDisposable
{
    private readonly FunctionsHostOptions _options;
    private readonly ServiceProvider _services;
    private readonly FunctionInvoker _invoker;
    private readonly QueueClientCache _clients;
    private readonly ConcurrentQueue<FunctionInvocation> _invocations = new();
    private readonly List<FunctionDescriptor> _functions;

    // Functions get a token that fires when the host shuts down, as the worker's invocation token does.
    private readonly CancellationTokenSource _shutdown = new();

    private FunctionsHost(FunctionsHostOptions options, ServiceProvider services, List<FunctionDescriptor> functions)
    {
        _options = options;
        _services = services;
        _functions = functions;
        _clients = new QueueClientCache((queue, message) => _invocations.Enqueue(new FunctionInvocation(
            _functions.First(f => f.IsQueue && f.QueueName == queue).Name, queue, message.MessageId, message.DequeueCount, FunctionOutcome.Undecodable,
            new FormatException("the message is not valid base64"))));
        _invoker = new FunctionInvoker(services, options, (connection, queue) => Client(connection, queue, encoded: true));
    }

    /// <summary>The app's root service provider (e.g. to read a singleton the functions wrote to).</summary>
    public IServiceProvider Services => _services;

    /// <summary>Hosted functions: name → trigger queue (null for timers).</summary>
    public IReadOnlyDictionary<string, string?> Functions => _functions.ToDictionary(f => f.Name, f => f.QueueName);

    /// <summary>Every delivery handled so far, in order.</summary>
    public IReadOnlyList<FunctionInvocation> Invocations => [.. _invocations];

    /// <summary>
    /// Reads functions.metadata, checks it against the assembly and settings (all problems at once, as a
    /// <see cref="FunctionsHostException"/>), builds the app's DI container, and checks every trigger queue exists.
    /// </summary>
    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDequeueCount < 1 || options.BatchSize is < 1 or > 32 || options.Concurrency < 1)
        {
            throw new ArgumentException("MaxDequeueCount and Concurrency must be at least 1, BatchSize between 1 and 32", nameof(options));
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(options.Settings).Build();
        var metadataPath = options.MetadataPath ?? DefaultMetadataPath(options);
        var functions = FunctionResolver.Resolve(FunctionMetadataReader.Read(metadataPath), options.AppAssembly, configuration);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        options.ConfigureServices?.Invoke(services, configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var host = new FunctionsHost(options, provider, functions);
        try
        {
            // As the worker's generic host does when it starts: options registered with ValidateOnStart fail the start.
            provider.GetService<IStartupValidator>()?.Validate();
            await host.CheckQueuesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>Runs a timer-triggered function now (not past due). The function's exception, if any, is rethrown.</summary>
    public async Task FireTimerAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var function = _functions.FirstOrDefault(f => f.IsTimer && string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new FunctionsHostException(
                $"no timer-triggered function '{functionName}' (timer functions: {string.Join(", ", _functions.Where(f => f.IsTimer).Select(f => f.Name))})");
        try
        {
            using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            await _invoker.InvokeAsync(function, new TriggerInput(null), invocation.Token).ConfigureAwait(false);
            _invocations.Enqueue(new FunctionInvocation(function.Name, string.Empty, string.Empty, 0, FunctionOutcome.Succeeded, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _invocations.Enqueue(new FunctionInvocation(function.Name, string.Empty, string.Empty, 0, FunctionOutcome.Retried, ex));
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    private static string DefaultMetadataPath(FunctionsHostOptions options)
    {
        var beside = Path.Combine(Path.GetDirectoryName(options.AppAssembly.Location) ?? ".", "functions.metadata");
        return File.Exists(beside) ? beside : Path.Combine(AppContext.BaseDirectory, "functions.metadata");
    }

    private QueueClient Client(string connection, string queue, bool encoded) => _clients.Get(connection, queue, encoded);

    private async Task CheckQueuesAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var function in _functions.Where(f => f.IsQueue))
        {
            var client = Client(function.ConnectionString!, function.QueueName!, encoded: true);
            if (_options.CreateQueues)
            {
                await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (!(await client.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                missing.Add($"function '{function.Name}' listens to queue '{function.QueueName}' (binding '{function.Trigger.QueueName}'), which does not exist");
            }
        }

        if (missing.Count > 0)
        {
            throw new FunctionsHostException(
                "trigger queues are missing (a wrong queue name in functions.metadata, or the test forgot to create it; CreateQueues = true creates them):"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", missing));
        }
    }
}
