using System.Threading.Channels;
using MeshFunctions.Rls.Observability;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Merges concurrent ShouldRateLimit calls to one Redis into one script call; it only batches, the script call is
/// <see cref="RedisConnection.CheckBatchAsync"/>'s. A single loop takes every call waiting in the queue (up to
/// <see cref="MaxChecksPerBatch"/> counters) and sends them as one batch; at most N batches are in flight, so under load
/// calls accumulate while Redis answers and the next batch is larger. A lone call is sent at once: batching adds no
/// wait. At most <c>maxQueued</c> calls wait; a call beyond that gets the failure mode at once (counted), so a stalled
/// Redis cannot grow the queue without bound. On dispose (shutdown) every call still queued is answered with the
/// failure mode. Does not own the connection.
/// </summary>
internal sealed class RedisBatcher : IDisposable
{
    private const int MaxChecksPerBatch = 512;
    private readonly RedisConnection _connection;
    private readonly int _maxQueued;
    private readonly RlsMetrics _metrics;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queued;

    public RedisBatcher(RedisConnection connection, int maxInFlight, int maxQueued, RlsMetrics metrics)
    {
        _connection = connection;
        _maxQueued = maxQueued;
        _metrics = metrics;
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues the call (see <see cref="RedisCallSlot"/> for the lifetime rule). It always completes within the Redis
    /// timeout (a failed batch gets the failure mode), which is why no cancellation is watched: a registration per call
    /// costs more than letting an abandoned call finish.
    /// </summary>
    public Task CheckAsync(RedisCallSlot call)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            _metrics.RedisQueueRejected.Inc();
            _metrics.RedisErrors.Inc();
            _connection.Fail(call.Checks.Span, call.Results.Span);
            return Task.CompletedTask;
        }

        var pending = new Pending(call);
        if (!_queue.Writer.TryWrite(pending))
        {
            // Shutting down: answer instead of leaving the caller waiting.
            Interlocked.Decrement(ref _queued);
            _connection.Fail(call.Checks.Span, call.Results.Span);
            return Task.CompletedTask;
        }

        return pending.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await _inFlight.WaitAsync(_stop.Token).ConfigureAwait(false);
                var checks = 0;
                while (checks < MaxChecksPerBatch && reader.TryRead(out var item))
                {
                    Interlocked.Decrement(ref _queued);
                    batch.Add(item);
                    checks += item.Call.Checks.Length;
                }

                _ = SendAsync([.. batch], checks);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: answer what is still queued with the failure mode.
            while (reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _queued);
                _connection.Fail(item.Call.Checks.Span, item.Call.Results.Span);
                item.TrySetResult();
            }
        }
    }

    private async Task SendAsync(Pending[] batch, int checkCount)
    {
        var released = false;
        try
        {
            var slots = new RedisCallSlot[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                slots[i] = batch[i].Call;
            }

            await _connection.CheckBatchAsync(slots, checkCount).ConfigureAwait(false);

            // Callers resume inline here (one thread pool hop per batch instead of one per call), so free the
            // slot first: the next batch need not wait for this one's responses to be written.
            released = true;
            _inFlight.Release();
            foreach (var item in batch)
            {
                item.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            foreach (var item in batch)
            {
                item.TrySetException(ex);
            }
        }
        finally
        {
            if (!released)
            {
                _inFlight.Release();
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
        _inFlight.Dispose();
    }

    /// <summary>
    /// One queued call; it is its own completion, so a call allocates one object besides its task. Its
    /// continuation runs synchronously on the batch's thread (see <see cref="SendAsync"/>).
    /// </summary>
    private sealed class Pending(RedisCallSlot call) : TaskCompletionSource(TaskCreationOptions.None)
    {
        public RedisCallSlot Call { get; } = call;
    }
}
