using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Cluster;
using MeshFunctions.Discovery.Observability;

namespace MeshFunctions.Discovery.Upstream;

/// <summary>
/// One upstream query (path + selectors + token) kept fresh by a blocking-query watch loop, shared by every
/// client asking the same thing. Index rules (Consul's client guidance): a lower index resets to 0, 0 is
/// never reused as a blocking index, failures back off exponentially with jitter (100 ms … 30 s).
/// </summary>
internal sealed class UpstreamView
{
    private readonly ConsulUpstreamClient _client;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly DiscoveryMetrics _metrics;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _applyLock = new();
    private UpstreamSnapshot _snapshot;
    private long _lastUsedTicks;

    public UpstreamView(string pathAndQuery, string? token, ConsulUpstreamClient client, DiscoveryOptions options, TimeProvider time, DiscoveryMetrics metrics)
    {
        PathAndQuery = pathAndQuery;
        Token = token;
        _client = client;
        _options = options;
        _time = time;
        _metrics = metrics;
        _snapshot = new UpstreamSnapshot(null, DateTimeOffset.MinValue, false, null);
        Touch();
    }

    public string PathAndQuery { get; }

    /// <summary>
    /// Per-service answers computed from this view, by query shape and caller (<see cref="AnswerService"/> checks each is
    /// still for the current snapshot, target and switch before reusing it), so repeated lookups and watchers woken
    /// together compute and serialize an answer once. Cleared when it grows past <see cref="MaxCachedAnswers"/>.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<AnswerKey, CachedAnswer> Answers { get; } = new();

    /// <summary>
    /// Bound of <see cref="Answers"/> (one entry per caller pod asking this query; a mesh answer holds its own ~1 KB body,
    /// its index includes the caller's): the bound of the mesh bodies cache it replaces, at most ~100 KB per view.
    /// </summary>
    public const int MaxCachedAnswers = 64;

    /// <summary>Not shared: stop it when the request that made it ends.</summary>
    public bool Transient { get; init; }

    public string? Token { get; }

    public ChangeSignal Changed { get; } = new();

    public UpstreamSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Completes after the first upstream attempt, successful or not.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    public void Touch()
    {
        // Read before writing: every lookup touches its view, and a write per lookup would move the cache line between cores.
        var now = _time.GetUtcNow().UtcTicks;
        if (now - Volatile.Read(ref _lastUsedTicks) >= TimeSpan.TicksPerMillisecond * 100)
        {
            Volatile.Write(ref _lastUsedTicks, now);
        }
    }

    public void Start() => _ = Task.Run(() => RunAsync(_stop.Token));

    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // stopped already
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        ulong index = 0;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await _client.GetAsync(PathAndQuery, Token, index, _options.UpstreamWait, _options.UpstreamStale, cancellationToken).ConfigureAwait(false);
                if (result.Status >= 500 || result.Status == 429)
                {
                    throw new HttpRequestException($"upstream Consul answered {result.Status}: {System.Text.Encoding.UTF8.GetString(result.Body.AsSpan(0, Math.Min(200, result.Body.Length)))}");
                }

                failures = 0;
                Apply(result);

                // The first answer is in, whatever it says: a request waiting for it must not also wait out the slow
                // poll below (a malformed filter's 400 was served 15 s late).
                _firstAttempt.TrySetResult();

                // Consul's rules: an index that went backwards resets the watch; 0 is never a blocking index.
                index = result.Index < index ? 0 : Math.Max(result.Index, 1);
                if (result.Status is >= 400 and not 404)
                {
                    // A 4xx (bad filter, ACL) does not change by waiting on it: poll slowly instead of spinning.
                    await Task.Delay(TimeSpan.FromSeconds(15), _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                failures++;
                index = 0;
                var old = Snapshot;
                Volatile.Write(ref _snapshot, old with { Failing = true, Error = ex.Message });
                if (!old.Failing)
                {
                    Changed.Fire();
                }

                _metrics.UpstreamErrors.Inc();
                var ceiling = Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10)));
                await Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _firstAttempt.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Reads the query once, now, without blocking, and publishes the answer. Called after a write forwarded
    /// through Discovery (register, deregister, KV) so the writer's next read sees its own write, as it would on
    /// Consul itself; the watch loop alone could still be serving the answer from before the write.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var result = await _client.GetAsync(PathAndQuery, Token, 0, TimeSpan.Zero, _options.UpstreamStale, cancellationToken).ConfigureAwait(false);
        if (result.Status < 500 && result.Status != 429)
        {
            Apply(result);
        }
    }

    /// <summary>Publishes <paramref name="result"/> as the view's snapshot (the watch loop's step; tests call it on a view never started).</summary>
    internal void Apply(UpstreamResult result)
    {
        bool changed;
        lock (_applyLock)
        {
            var previous = Snapshot.Result;
            // A blocking read that started before a refresh may answer after it with the older state; Consul's
            // index only grows, so an answer below the published one is dropped.
            if (previous is not null && result.Index < previous.Index && result.Status == previous.Status)
            {
                return;
            }

            Volatile.Write(ref _snapshot, new UpstreamSnapshot(result, _time.GetUtcNow(), false, null));
            changed = previous is null || previous.Index != result.Index || previous.Status != result.Status || !previous.Body.AsSpan().SequenceEqual(result.Body);
        }

        _metrics.UpstreamLag.Set(result.LastContactMs / 1000.0);
        if (changed)
        {
            Changed.Fire();
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
