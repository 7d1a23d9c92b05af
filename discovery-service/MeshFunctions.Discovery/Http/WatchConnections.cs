using System.IO.Pipelines;
using System.Net;
using MeshFunctions.Discovery.Answers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Http;

/// <summary>
/// Serves blocking reads — watches — on Kestrel's transport, ahead of its HTTP/1.1 pipeline. A Consul watcher holds a
/// connection for minutes per request; under Kestrel's pipeline each parked request keeps its per-connection HTTP state
/// (connection, header dictionaries, context, body streams, cancellation sources: ~6 KB of the ~10 KB each of 10,000
/// watchers cost, tests/bench/README.md, discovery). Here a watch costs the transport connection, the parsed target and
/// the blocked query. A request this does not claim (<see cref="WatchRequestHead"/>: anything but a plain
/// <c>GET</c> read with <c>index</c>) is left unread and the connection goes on under Kestrel's HTTP/1.1 pipeline, which
/// then answers it and everything after it. The answer itself is <see cref="ConsulApi.ReadAsync"/>'s, as on Kestrel's
/// pipeline. Idle connections close after Kestrel's keep-alive timeout; a server shutting down closes them between
/// requests.
/// </summary>
internal sealed partial class WatchConnections
{
    private readonly ConsulApi _api;
    private readonly DeadlineWheel _deadlines;
    private readonly TimeProvider _time;
    private readonly TimeSpan _keepAlive;
    private readonly ILogger<WatchConnections> _logger;

    public WatchConnections(ConsulApi api, DeadlineWheel deadlines, TimeProvider time, IOptions<KestrelServerOptions> kestrel, ILogger<WatchConnections> logger)
    {
        _api = api;
        _deadlines = deadlines;
        _time = time;
        _keepAlive = kestrel.Value.Limits.KeepAliveTimeout;
        _logger = logger;
    }

    /// <summary>The connection middleware for <c>ListenOptions.Use</c>, before Kestrel's HTTP/1.1 pipeline (<paramref name="next"/>).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection => ServeAsync(connection, next);

    private async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        var caller = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var gone = connection.ConnectionClosed;
        var lifetime = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
        var closing = lifetime?.ConnectionClosedRequested ?? CancellationToken.None;
        while (true)
        {
            var idleUntil = _time.GetUtcNow() + _keepAlive;
            ReadResult result;
            try
            {
                result = await ReadAsync(input, idleUntil, closing).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested)
            {
                return;
            }

            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                if (_time.GetUtcNow() >= idleUntil)
                {
                    return;
                }

                continue;
            }

            var head = WatchRequestHead.TryParse(buffer.FirstSpan);
            if (head is null)
            {
                // Not a watch (or not one in the first buffer): unread, for Kestrel's HTTP/1.1 pipeline.
                input.AdvanceTo(buffer.Start);
                if (buffer.IsEmpty && result.IsCompleted)
                {
                    return;
                }

                await next(connection).ConfigureAwait(false);
                return;
            }

            input.AdvanceTo(buffer.GetPosition(head.Length));
            var close = head.Close;
            var path = head.Target.RawPath;
            var read = _api.StartRead(HttpMethods.Get, head.Target, head.Token, caller, gone);
            head = null;
            ReadOutcome outcome;
            try
            {
                outcome = read.Answer is { } pending ? ReadOutcome.Of(await pending.ConfigureAwait(false), read.Consistency) : read.Done;
            }
            catch (OperationCanceledException) when (gone.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WatchFailed(_logger, path, ex);
                WatchResponse.WriteServerError(output, _time.GetUtcNow());
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }

            WatchResponse.Write(output, outcome, close, _time.GetUtcNow());
            var flushed = await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            _api.ObserveWake(outcome);
            if (close || flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }

    /// <summary>Reads the next request; a read still waiting at <paramref name="idleUntil"/> is cancelled (keep-alive timeout); a server shutting down cancels it (<paramref name="closing"/>).</summary>
    private async ValueTask<ReadResult> ReadAsync(PipeReader input, DateTimeOffset idleUntil, CancellationToken closing)
    {
        var read = input.ReadAsync(closing);
        if (read.IsCompleted)
        {
            return read.Result;
        }

        var idle = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = idle.Task.ContinueWith(static (_, state) => ((PipeReader)state!).CancelPendingRead(), input, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using var link = _deadlines.At(idleUntil, idle);
        return await read.ConfigureAwait(false);
    }
}
