using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using MeshFunctions.TestKit.Functions.Host.Rpc;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>
/// The host's side of the worker's one <c>EventStream</c> call: host → worker messages go out on the response stream
/// through one writer; worker → host messages complete the request waiting for them (by kind and id) or are logs.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<WorkerLog> _logs = new();
    private int _connected;

    /// <summary>Completes with the worker id of the <c>StartStream</c> message.</summary>
    public Task<string> Started => _started.Task;

    /// <summary>Completes when the stream is over (the worker closed it, died, or the host stopped).</summary>
    public Task Ended => _ended.Task;

    public IReadOnlyList<WorkerLog> Logs => [.. _logs];

    /// <summary>Worker → host messages the stand-in does not handle (heartbeats and the like), by kind.</summary>
    public ConcurrentDictionary<StreamingMessage.ContentOneofCase, int> Other { get; } = new();

    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, ServerCallContext context)
    {
        if (Interlocked.Exchange(ref _connected, 1) == 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "a worker is already connected to this host stand-in"));
        }

        var writer = WriteAsync(responses, context.CancellationToken);
        try
        {
            while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                Dispatch(requests.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            // The worker went away (exit, kill) or the host stopped: the stream is over either way.
        }
        finally
        {
            _outbound.Writer.TryComplete();
            _started.TrySetException(new FunctionsHostException("the worker closed the stream before StartStream"));
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new FunctionsHostException("the worker's stream ended before it answered"));
            }

            _ended.TrySetResult();
        }

        await writer.ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> and waits for the answer registered under <paramref name="key"/>.</summary>
    public async Task<StreamingMessage> RequestAsync(string key, StreamingMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, answer))
        {
            throw new InvalidOperationException($"a request '{key}' is already waiting for its answer");
        }

        try
        {
            if (Ended.IsCompleted || !_outbound.Writer.TryWrite(message))
            {
                throw new FunctionsHostException($"the worker's stream is closed; cannot send {message.ContentCase}");
            }

            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    /// <summary>Sends a message that has no answer (WorkerTerminate); false when the stream is closed.</summary>
    public bool Send(StreamingMessage message) => !Ended.IsCompleted && _outbound.Writer.TryWrite(message);

    /// <summary>Ends the host's side: the response stream completes and the call returns.</summary>
    public void Close() => _outbound.Writer.TryComplete();

    public static string InitKey => "init";

    public static string MetadataKey => "metadata";

    public static string LoadKey(string functionId) => "load:" + functionId;

    public static string InvocationKey(string invocationId) => "invocation:" + invocationId;

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                _logs.Enqueue(new WorkerLog(log.InvocationId, log.Category, (LogLevel)(int)log.Level, log.Message,
                    log.Exception is { } ex ? $"{ex.Type}: {ex.Message}" : null));
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                Complete(InitKey, message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Complete(MetadataKey, message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                Complete(LoadKey(message.FunctionLoadResponse.FunctionId), message);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete(InvocationKey(message.InvocationResponse.InvocationId), message);
                break;
            default:
                Other.AddOrUpdate(message.ContentCase, 1, (_, n) => n + 1);
                break;
        }
    }

    private void Complete(string key, StreamingMessage message)
    {
        if (_pending.TryGetValue(key, out var answer))
        {
            answer.TrySetResult(message);
        }
        else
        {
            Other.AddOrUpdate(message.ContentCase, 1, (_, n) => n + 1);
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The call is over; RunAsync reports the end.
        }
    }
}
