using System.Threading.Channels;
using StackExchange.Redis;

namespace MeshFunctions.Rls.Backends;

/// <summary>
/// Merges concurrent ShouldRateLimit calls into one script call. A single loop takes every call
/// waiting in the queue (up to <see cref="MaxChecksPerBatch"/> counters) and sends them as one batch;
/// at most N batches are in flight, so under load calls accumulate while Redis answers and the next
/// batch is larger. A lone call is sent at once: batching adds no wait.
/// </summary>
internal sealed class RedisBatcher : IDisposable
{
    private const int MaxChecksPerBatch = 512;
    private readonly RedisBackend _backend;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RedisBatcher(RedisBackend backend, int maxInFlight)
    {
        _backend = backend;
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues the checks; the returned array (owned by the caller) holds one result per check.</summary>
    public async Task<CounterResult[]> CheckAsync(ReadOnlyMemory<CounterCheck> checks, long nowMs, CancellationToken cancellationToken)
    {
        var pending = new Pending(checks.ToArray(), nowMs);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(RedisBatcher));
        }

        // The batch writes into the pending item's own array, so a caller that gives up early is harmless.
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
                    batch.Add(item);
                    checks += item.Checks.Length;
                }

                _ = SendAsync([.. batch], checks);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task SendAsync(Pending[] batch, int checkCount)
    {
        try
        {
            var keys = new RedisKey[checkCount];
            var args = new RedisValue[1 + (4 * checkCount)];
            var now = 0L;
            var offset = 0;
            foreach (var item in batch)
            {
                _backend.AddArguments(item.Checks, keys, args, offset);
                offset += item.Checks.Length;
                now = Math.Max(now, item.NowMs);
            }

            args[0] = now;
            var values = await _backend.EvaluateAsync(keys, args, CancellationToken.None).ConfigureAwait(false);
            offset = 0;
            foreach (var item in batch)
            {
                var results = new CounterResult[item.Checks.Length];
                _backend.ReadResults(values, offset, item.Checks, results);
                offset += item.Checks.Length;
                item.Completion.TrySetResult(results);
            }
        }
        catch (Exception ex)
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetException(ex);
            }
        }
        finally
        {
            _inFlight.Release();
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

    private sealed record Pending(CounterCheck[] Checks, long NowMs)
    {
        public TaskCompletionSource<CounterResult[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
