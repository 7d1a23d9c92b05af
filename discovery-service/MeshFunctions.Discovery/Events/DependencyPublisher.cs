using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using MeshFunctions.Core.Discovery;
using MeshFunctions.Core.Events;
using MeshFunctions.Discovery.Answers;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Events;

/// <summary>
/// Publishes <c>dependency-events</c> for mesh answers: once per caller workload/target pair per
/// <see cref="EventOptions.DependencyRepeatAfter"/>, at most <see cref="EventOptions.DependencyEventsPerSecond"/>
/// per second (an answer over the rate is not remembered, so a later answer publishes it).
/// </summary>
internal sealed class DependencyPublisher : IMeshAnswerObserver, IDisposable
{
    private readonly ConcurrentDictionary<DependencyEvent, DateTimeOffset> _sent = new();
    private readonly EventSender _sender;
    private readonly EventOptions _options;
    private readonly TimeProvider _time;
    private readonly TokenBucketRateLimiter _rate;
    private readonly Uri _source;

    public DependencyPublisher(EventSender sender, IOptions<EventOptions> options, TimeProvider time)
    {
        _sender = sender;
        _options = options.Value;
        _time = time;
        _source = new Uri(_options.Source, UriKind.RelativeOrAbsolute);
        _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, _options.DependencyEventsPerSecond),
            TokensPerPeriod = Math.Max(1, _options.DependencyEventsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public void OnMeshAnswer(CallerState caller, TargetState target)
    {
        if (caller.Workload.Length == 0)
        {
            return;
        }

        var data = new DependencyEvent(caller.Namespace, caller.Workload, target.Namespace, target.Name);
        var now = _time.GetUtcNow();
        if (_sent.TryGetValue(data, out var last) && now - last < _options.DependencyRepeatAfter)
        {
            return;
        }

        using var lease = _rate.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            return;
        }

        if (_sent.TryGetValue(data, out last) && now - last < _options.DependencyRepeatAfter)
        {
            return;
        }

        _sent[data] = now;
        _sender.Enqueue(MeshEventQueues.DependencyEvents, new MeshEvent<DependencyEvent>(
            Guid.NewGuid().ToString("N"), _source, MeshEventTypes.Dependency, now, $"{caller.Namespace}/{caller.Workload}", data));
    }

    public void Dispose() => _rate.Dispose();
}
