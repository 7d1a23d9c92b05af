using System.Threading.Channels;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Merges concurrent ShouldRateLimit calls into one script call. A single loop takes every call
/// waiting in the queue (up to <see cref="MaxChecksPerBatch"/> counters) and sends them as one batch;
/// at most N batches are in flight, so under load calls accumulate while Redis answers and the next
/// batch is larger. A lone call is sent at once: batching adds no wait. At most <c>maxQueued</c> calls wait; a call
/// beyond that gets the failure mode at once (counted), so a stalled Redis cannot grow the queue without bound. On
/// dispose (shutdown) every call still queued is answered with the failure mode.
/// </summary>
internal sealed class RedisBatcher : IDisposable
{
    private const int MaxChecksPerBatch = 512;
    private readonly RedisBackend _backend;
    private readonly int _maxQueued;
    private readonly Observability.RlsMetrics _metrics;
    private int _queued;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RedisBatcher(RedisBackend backend, int maxInFlight, int maxQueued, Observability.RlsMetrics metrics)
    {
        _backend = backend;
        _maxQueued = maxQueued;
        _metrics = metrics;
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues the checks; the batch reads <paramref name="checks"/> and writes <paramref name="results"/> in place,
    /// so both must stay valid until the returned task completes. It always completes within the Redis timeout
    /// (a failed batch gets the failure mode), which is why the caller's cancellation is not watched: a
    /// registration per call costs more than letting an abandoned call finish.
    /// </summary>
    public Task CheckAsync(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            _metrics.RedisQueueRejected.Inc();
            _metrics.RedisErrors.Inc();
            _backend.ReadResults(null, 0, nowMs, checks.Span, results.Span);
            return Task.CompletedTask;
        }

        var pending = new Pending(checks, results, nowMs);
        if (!_queue.Writer.TryWrite(pending))
        {
            // Shutting down: answer instead of leaving the caller waiting.
            Interlocked.Decrement(ref _queued);
            _backend.ReadResults(null, 0, nowMs, checks.Span, results.Span);
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
                    checks += item.Checks.Length;
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
                _backend.ReadResults(null, 0, item.NowMs, item.Checks.Span, item.Results.Span);
                item.TrySetResult();
            }
        }
    }

    private async Task SendAsync(Pending[] batch, int checkCount)
    {
        var released = false;
        try
        {
            var keys = new RedisKey[checkCount];
            var args = new RedisValue[1 + (4 * checkCount)];
            var now = 0L;
            var offset = 0;
            foreach (var item in batch)
            {
                _backend.AddArguments(item.Checks.Span, keys, args, offset);
                offset += item.Checks.Length;
                now = Math.Max(now, item.NowMs);
            }

            args[0] = now;
            var values = await _backend.EvaluateAsync(keys, args, batch.Length, CancellationToken.None).ConfigureAwait(false);
            var position = 0;
            foreach (var item in batch)
            {
                position = _backend.ReadResults(values, position, now, item.Checks.Span, item.Results.Span);
            }

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
    private sealed class Pending(ReadOnlyMemory<CounterCheck> checks, Memory<CounterResult> results, long nowMs)
        : TaskCompletionSource(TaskCreationOptions.None)
    {
        public ReadOnlyMemory<CounterCheck> Checks { get; } = checks;

        public Memory<CounterResult> Results { get; } = results;

        public long NowMs { get; } = nowMs;
    }
}
