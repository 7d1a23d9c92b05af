using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Google.Protobuf.WellKnownTypes;
using MeshFunctions.TestKit.Functions.Host.Internal;
using MeshFunctions.TestKit.Functions.Host.Rpc;
using MeshFunctions.TestKit.Functions.Internal;
using MeshFunctions.TestKit.Processes.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>
/// A stand-in of the Azure Functions host at the protocol level: it serves the host's gRPC service
/// (<c>FunctionRpc.EventStream</c>) on loopback, starts the built isolated-worker app as its own process with the
/// command line the host uses, and drives it through start stream, worker init, functions metadata, function load,
/// invocations and worker terminate. Its queue listener reads the trigger queues on a real queue service (Azurite)
/// with the semantics of host.json <c>extensions.queues</c>, and writes the queue outputs the worker returns.
/// </summary>
public sealed partial class FunctionsWorkerHost : IAsyncDisposable
{
    /// <summary>The <c>host_version</c> sent in <c>WorkerInitRequest</c>.</summary>
    public const string HostVersion = "4.0.0-meshfunctions-testkit";

    private readonly FunctionsWorkerHostOptions _options;
    private readonly WebApplication _server;
    private readonly WorkerChannelSlot _slot;
    private readonly IConfiguration _settings;
    private readonly ConcurrentQueue<FunctionInvocation> _invocations = new();
    private readonly QueueClientCache _clients;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _listeners = [];
    private ManagedProcess? _process;
    private List<WorkerFunction> _functions = [];
    private int _inFlight;
    private int _stopped;

    private FunctionsWorkerHost(FunctionsWorkerHostOptions options, HostQueueSettings queues, IConfiguration settings, WebApplication server, WorkerChannelSlot slot, string url)
    {
        _options = options;
        QueueSettings = queues;
        _settings = settings;
        _server = server;
        _slot = slot;
        Url = url;
        _clients = new QueueClientCache((queue, message) => _invocations.Enqueue(new FunctionInvocation(
            _triggers.First(t => t.QueueName == queue).Function.Name, queue, message.MessageId, message.DequeueCount, FunctionOutcome.Undecodable,
            new FormatException("the message is not valid base64"))));
    }

    /// <summary>The gRPC endpoint the worker was told to dial.</summary>
    public string Url { get; }

    /// <summary>The current worker's id, passed on its command line (and echoed by its <c>StartStream</c>); new for each restart.</summary>
    public string WorkerId { get; private set; } = Guid.NewGuid().ToString();

    /// <summary>The queue settings read from the app's host.json (and its overrides).</summary>
    public HostQueueSettings QueueSettings { get; }

    /// <summary>The worker's <c>WorkerInitResponse</c> capabilities.</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The functions the worker indexed and loaded.</summary>
    public IReadOnlyList<WorkerFunction> Functions => _functions;

    /// <summary>Every delivery and timer firing so far, in completion order.</summary>
    public IReadOnlyList<FunctionInvocation> Invocations => [.. _invocations];

    /// <summary>Every <c>RpcLog</c> the worker processes sent so far.</summary>
    public IReadOnlyList<WorkerLog> Logs => [.. _retiredLogs, .. Channel.Logs];

    /// <summary>The last 8 KB of the worker process's stdout and stderr.</summary>
    public string WorkerOutput => _process?.Output ?? string.Empty;

    /// <summary>
    /// True once the worker process has exited for good: stopped, or died more often than
    /// <see cref="FunctionsWorkerHostOptions.MaxWorkerRestarts"/> allows. A worker that dies is restarted meanwhile.
    /// </summary>
    public bool WorkerExited => _process?.HasExited == true && (Volatile.Read(ref _stopped) == 1 || _gaveUp);

    /// <summary>
    /// Reads host.json, starts the gRPC server and the worker process, and runs the handshake (start stream, init,
    /// metadata, one load per function); then checks the trigger queues and starts listening. Any failure stops
    /// everything and throws a <see cref="FunctionsHostException"/> with the worker's output.
    /// </summary>
    public static async Task<FunctionsWorkerHost> StartAsync(FunctionsWorkerHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appDirectory = Path.GetFullPath(options.AppDirectory);
        var queues = HostQueueSettings.Read(Path.Combine(appDirectory, "host.json"), options.Settings);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(options.Settings).Build();

        var slot = new WorkerChannelSlot(new WorkerChannel());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddLogging();
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(slot);
        var server = builder.Build();
        server.UseRouting();
        server.MapGrpcService<FunctionRpcService>();
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var host = new FunctionsWorkerHost(options, queues, settings, server, slot, url);
        try
        {
            await host.StartWorkerAsync(appDirectory, cancellationToken).ConfigureAwait(false);
            await host.CheckQueuesAsync(cancellationToken).ConfigureAwait(false);
            host._ready.TrySetResult();
            host.StartListening();
            host._supervisor = Task.Run(() => host.SuperviseAsync(appDirectory));
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return host;
    }

    /// <summary>
    /// Runs a timer-triggered function now, as the host does when its schedule fires (a <c>TimerInfo</c> JSON input).
    /// Queue outputs are written. A Failure answer is recorded and thrown as <see cref="WorkerInvocationException"/>.
    /// </summary>
    public async Task<FunctionInvocation> FireTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var function = _functions.FirstOrDefault(f => f.Trigger?.Type == "timerTrigger" && string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase))
            ?? throw new FunctionsHostException(
                $"no timer-triggered function '{functionName}' (timer functions: {string.Join(", ", _functions.Where(f => f.Trigger?.Type == "timerTrigger").Select(f => f.Name))})");
        var timer = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = DateTimeOffset.MinValue, Next = DateTimeOffset.UtcNow, LastUpdated = DateTimeOffset.MinValue },
            IsPastDue = isPastDue,
        });
        var request = NewInvocation(function);
        request.InputData.Add(new ParameterBinding { Name = function.Trigger!.Name, Data = new TypedData { Json = timer } });

        var response = await InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        var error = Error(response);
        if (error is null)
        {
            await WriteOutputsAsync(function, response, cancellationToken).ConfigureAwait(false);
        }

        var invocation = new FunctionInvocation(function.Name, string.Empty, string.Empty, 0, error is null ? FunctionOutcome.Succeeded : FunctionOutcome.Retried, error);
        _invocations.Enqueue(invocation);
        return error is null ? invocation : throw error;
    }

    /// <summary>
    /// Stops listening (in-flight invocations finish), sends <c>WorkerTerminate</c> with <paramref name="gracePeriod"/>
    /// and waits for the worker to exit; kills it if it has not exited a minute after the grace period. Returns its exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_listeners).ConfigureAwait(false);
            Channel.Send(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });
        }

        if (_process is null)
        {
            return 0;
        }

        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(gracePeriod + TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _process.KillAsync().ConfigureAwait(false);
        }

        await _supervisor.ConfigureAwait(false);

        // Everything the worker sent before it exited has been read once its stream has ended.
        if (Channel.Started.IsCompletedSuccessfully)
        {
            try
            {
                await Channel.Ended.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The connection outlived the process (should not happen); the exit code still tells.
            }
        }

        return _process.ExitCode;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        else if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_listeners).ConfigureAwait(false);
            await _supervisor.ConfigureAwait(false);
        }

        Channel.Close();
        await _server.StopAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        _process?.Dispose();
        _stopping.Dispose();
    }

    private async Task StartWorkerAsync(string appDirectory, CancellationToken cancellationToken)
    {
        var workerPath = WorkerPath(appDirectory);
        var requestId = Guid.NewGuid().ToString();
        var port = new Uri(Url).Port.ToString(CultureInfo.InvariantCulture);
        var maxLength = _options.GrpcMaxMessageLength.ToString(CultureInfo.InvariantCulture);

        // The host passes both spellings: Worker 1.x reads the first, 2.x the --functions-* ones.
        string[] arguments =
        [
            workerPath,
            "--host", "127.0.0.1", "--port", port, "--workerId", WorkerId, "--requestId", requestId, "--grpcMaxMessageLength", maxLength,
            "--functions-uri", Url, "--functions-worker-id", WorkerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxLength,
        ];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory,
            ["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory,
            ["AzureWebJobsScriptRoot"] = appDirectory,
        };
        foreach (var (key, value) in _options.Settings)
        {
            if (value is not null)
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var dotnet = _options.DotnetPath ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        _process = ManagedProcess.Start(dotnet, arguments, "functions worker", appDirectory, environment);

        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(_options.StartTimeout);
        var exited = _process.WaitForExitAsync(guard.Token);
        var started = await Task.WhenAny(Channel.Started, exited).ConfigureAwait(false);
        if (started != Channel.Started || !Channel.Started.IsCompletedSuccessfully)
        {
            throw Failed("the worker did not open the event stream (StartStream)");
        }

        if (Channel.Started.Result != WorkerId)
        {
            throw Failed($"StartStream carried worker id '{Channel.Started.Result}', not the '{WorkerId}' on its command line");
        }

        var init = await RequestAsync(WorkerChannel.InitKey, new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = appDirectory,
                FunctionAppDirectory = appDirectory,
                Capabilities = { ["MultiStream"] = "false" },
            },
        }, "WorkerInitRequest", cancellationToken).ConfigureAwait(false);
        CheckStatus(init.WorkerInitResponse.Result, "WorkerInitRequest");
        WorkerCapabilities = new Dictionary<string, string>(init.WorkerInitResponse.Capabilities);

        var metadata = await RequestAsync(WorkerChannel.MetadataKey, new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        }, "FunctionsMetadataRequest", cancellationToken).ConfigureAwait(false);
        var indexed = metadata.FunctionMetadataResponse;
        CheckStatus(indexed.Result, "FunctionsMetadataRequest");
        if (indexed.UseDefaultMetadataIndexing)
        {
            throw Failed("the worker asked for host indexing (use_default_metadata_indexing); the stand-in only supports worker indexing");
        }

        _functions = [.. indexed.FunctionMetadataResults.Select(ToFunction)];
        ResolveBindings();
        foreach (var rpc in indexed.FunctionMetadataResults)
        {
            var functionId = string.IsNullOrEmpty(rpc.FunctionId) ? Guid.NewGuid().ToString() : rpc.FunctionId;
            var metadataForLoad = rpc.Clone();
            metadataForLoad.FunctionId = functionId;
            metadataForLoad.Directory = appDirectory;
            var load = await RequestAsync(WorkerChannel.LoadKey(functionId), new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = functionId, Metadata = metadataForLoad },
            }, "FunctionLoadRequest " + rpc.Name, cancellationToken).ConfigureAwait(false);
            CheckStatus(load.FunctionLoadResponse.Result, "FunctionLoadRequest " + rpc.Name);
            var index = _functions.FindIndex(f => f.Name == rpc.Name);
            _functions[index] = _functions[index] with { FunctionId = functionId };
        }
    }

    private async Task<StreamingMessage> RequestAsync(string key, StreamingMessage message, string what, CancellationToken cancellationToken)
    {
        message.RequestId = Guid.NewGuid().ToString();
        try
        {
            return await Channel.RequestAsync(key, message, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or FunctionsHostException)
        {
            throw Failed($"{what}: {ex.Message}");
        }
    }

    private void CheckStatus(StatusResult? result, string what)
    {
        if (result is null || result.Status != StatusResult.Types.Status.Success)
        {
            throw Failed($"{what} answered {result?.Status.ToString() ?? "no result"}: {result?.Exception?.Type} {result?.Exception?.Message}");
        }
    }

    private FunctionsHostException Failed(string problem) =>
        new($"{problem} (worker {(_process?.HasExited == true ? "exited with " + _process.ExitCode : "running")}); its output:{Environment.NewLine}{WorkerOutput}");

    private static string WorkerPath(string appDirectory)
    {
        var config = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(config))
        {
            throw new FunctionsHostException($"{config}: not found (is {appDirectory} the build output of an isolated-worker app?)");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(config));
        var path = document.RootElement.TryGetProperty("description", out var description)
            && description.TryGetProperty("defaultWorkerPath", out var worker) && worker.ValueKind == JsonValueKind.String
            ? worker.GetString()
            : null;
        var full = path is null ? null : Path.Combine(appDirectory, path);
        return full is not null && File.Exists(full)
            ? full
            : throw new FunctionsHostException($"{config}: description.defaultWorkerPath '{path}' does not name a file in {appDirectory}");
    }

    private static WorkerFunction ToFunction(RpcFunctionMetadata rpc)
    {
        var bindings = new List<WorkerBinding>();
        foreach (var raw in rpc.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var properties = document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
            bindings.Add(new WorkerBinding(
                properties.GetValueOrDefault("name", string.Empty), properties.GetValueOrDefault("type", string.Empty), properties.GetValueOrDefault("direction", string.Empty),
                properties.Where(p => p.Key is not ("name" or "type" or "direction")).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase)));
        }

        return new WorkerFunction(rpc.FunctionId, rpc.Name, rpc.ScriptFile, rpc.EntryPoint, bindings);
    }

    private static InvocationRequest NewInvocation(WorkerFunction function) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = function.FunctionId,

        // The worker dereferences the trace context; the host always sends one.
        TraceContext = new RpcTraceContext(),
    };

    private async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var message = new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request };
        try
        {
            var answer = await Channel.RequestAsync(WorkerChannel.InvocationKey(request.InvocationId), message, _options.InvocationTimeout, cancellationToken)
                .ConfigureAwait(false);
            return answer.InvocationResponse;
        }
        catch (Exception ex) when (ex is TimeoutException or FunctionsHostException)
        {
            return new InvocationResponse
            {
                InvocationId = request.InvocationId,
                Result = new StatusResult { Status = StatusResult.Types.Status.Failure, Result = "NoResponse", Exception = new Rpc.RpcException { Type = ex.GetType().FullName, Message = ex.Message } },
            };
        }
    }

    private static WorkerInvocationException? Error(InvocationResponse response) =>
        response.Result?.Status == StatusResult.Types.Status.Success
            ? null
            : new WorkerInvocationException(
                response.Result?.Result == "NoResponse" ? "NoResponse" : (response.Result?.Status ?? StatusResult.Types.Status.Failure).ToString(),
                response.Result?.Exception?.Type, response.Result?.Exception?.Message ?? "no exception reported");

    private QueueClient Client(string connection, string queue, bool encoded) => _clients.Get(connection, queue, encoded);
}
