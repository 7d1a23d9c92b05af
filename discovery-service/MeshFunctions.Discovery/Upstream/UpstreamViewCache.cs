using System.Collections.Concurrent;
using MeshFunctions.Discovery.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Upstream;

/// <summary>The upstream views by query; views nobody used for <see cref="DiscoveryOptions.ViewIdleTimeout"/> are stopped.</summary>
internal sealed class UpstreamViewCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<UpstreamView>> _views = new(StringComparer.Ordinal);
    private readonly ConsulUpstreamClient _client;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly DiscoveryMetrics _metrics;
    private readonly ITimer _sweeper;

    public UpstreamViewCache(ConsulUpstreamClient client, IOptions<DiscoveryOptions> options, TimeProvider time, DiscoveryMetrics metrics)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, _options.ViewIdleTimeout.Ticks / 4));
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public int Count => _views.Count;

    /// <summary>
    /// The view of <paramref name="pathAndQuery"/> for <paramref name="token"/>, started on first use. Past
    /// <see cref="DiscoveryOptions.MaxUpstreamViews"/> a new query gets a transient view that the caller stops
    /// when its request ends (<see cref="UpstreamView.Transient"/>).
    /// </summary>
    public UpstreamView Get(string pathAndQuery, string? token)
    {
        // A path holds no line break and a token none either (printable ASCII), so the key is unambiguous; no copy without a token.
        var key = token is null ? pathAndQuery : token + "\n" + pathAndQuery;
        if (!_views.TryGetValue(key, out var lazy))
        {
            if (_views.Count >= _options.MaxUpstreamViews)
            {
                var transient = new UpstreamView(pathAndQuery, token, _client, _options, _time, _metrics) { Transient = true };
                transient.Start();
                return transient;
            }

            lazy = _views.GetOrAdd(key, _ => new Lazy<UpstreamView>(() =>
            {
                var view = new UpstreamView(pathAndQuery, token, _client, _options, _time, _metrics);
                view.Start();
                return view;
            }));
            // Counting a ConcurrentDictionary takes all its locks: only when a view may have been added, not per read.
            _metrics.UpstreamViews.Set(_views.Count);
        }

        var found = lazy.Value;
        found.Touch();
        return found;
    }

    /// <summary>Re-reads, now and together, every shared view whose query starts with one of <paramref name="prefixes"/>.</summary>
    public async Task RefreshAsync(IReadOnlyList<string> prefixes, CancellationToken cancellationToken)
    {
        var refreshes = _views.Values
            .Where(lazy => lazy.IsValueCreated && prefixes.Any(p => lazy.Value.PathAndQuery.StartsWith(p, StringComparison.Ordinal)))
            .Select(lazy => RefreshOneAsync(lazy.Value, cancellationToken));
        await Task.WhenAll(refreshes).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var view in _views.Values)
        {
            if (view.IsValueCreated)
            {
                view.Value.Stop();
            }
        }

        _views.Clear();
    }

    private static async Task RefreshOneAsync(UpstreamView view, CancellationToken cancellationToken)
    {
        try
        {
            await view.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            // Upstream unreachable: the view's own watch loop reports and retries.
        }
    }

    private void Sweep()
    {
        var cutoff = _time.GetUtcNow() - _options.ViewIdleTimeout;
        foreach (var (key, lazy) in _views)
        {
            if (lazy.IsValueCreated && lazy.Value.LastUsed < cutoff && _views.TryRemove(key, out _))
            {
                lazy.Value.Stop();
            }
        }

        _metrics.UpstreamViews.Set(_views.Count);
    }
}
