using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Cluster;
using MeshFunctions.Discovery.Observability;
using MeshFunctions.Discovery.Upstream;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// Computes answers: the per-service rule (core's <see cref="DiscoveryRule"/>) over the Kubernetes caches and
/// the upstream views, the composed index (<see cref="DiscoveryIndex"/>), last-known-good flags; and blocks
/// until the answer's index passes the client's or the wait ends.
/// </summary>
internal sealed class AnswerService
{
    private readonly ClusterState _cluster;
    private readonly UpstreamViewCache _views;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly DiscoveryMetrics _metrics;
    private readonly IMeshAnswerObserver _observer;
    private readonly DeadlineWheel _deadlines;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Interface, AnswerKind Kind), Prometheus.Counter.Child> _answerCounters = new();
    private readonly Prometheus.Counter.Child[] _httpCounters;

    public AnswerService(ClusterState cluster, UpstreamViewCache views, IOptions<DiscoveryOptions> options, TimeProvider time, DiscoveryMetrics metrics, IMeshAnswerObserver observer, DeadlineWheel deadlines)
    {
        _deadlines = deadlines;
        _cluster = cluster;
        _views = views;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _observer = observer;
        _httpCounters = new Prometheus.Counter.Child[Enum.GetValues<AnswerKind>().Length];
    }

    /// <summary>Answers a per-service read, blocking while the answer's index is not above <paramref name="minIndex"/>.</summary>
    public Task<Answer> AnswerServiceAsync(ServiceQuery query, string upstreamTarget, string? token, ulong minIndex, TimeSpan wait, string @interface, CancellationToken cancellationToken)
    {
        var view = _views.Get(upstreamTarget, token);
        return AnswerAsync(view, query, minIndex, wait, @interface, cancellationToken);
    }

    /// <summary>Answers a read that upstream alone decides (catalog/services, KV), with upstream's own index.</summary>
    public Task<Answer> AnswerUpstreamAsync(string upstreamTarget, string? token, ulong minIndex, TimeSpan wait, CancellationToken cancellationToken)
    {
        var view = _views.Get(upstreamTarget, token);
        return AnswerAsync(view, null, minIndex, wait, "http", cancellationToken);
    }

    /// <summary>The decision alone (for DNS and gRPC): kind, target and the view's snapshot.</summary>
    public (AnswerKind Kind, TargetState? Target, CallerState? Caller) Decide(string service, IPAddress? caller, bool localDatacenter)
    {
        var (callerState, target) = Find(service, caller, localDatacenter);
        var kind = DiscoveryRule.Decide(callerState, target, _cluster.Switch.GlobalRollback);
        return (kind, target, callerState);
    }

    /// <summary>The current snapshot of an upstream read, waiting for the first attempt when the query is new.</summary>
    public async Task<UpstreamSnapshot> UpstreamSnapshotAsync(string upstreamTarget, CancellationToken cancellationToken)
    {
        var view = _views.Get(upstreamTarget, token: null);
        try
        {
            if (view.Snapshot.Result is null)
            {
                await view.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return view.Snapshot;
        }
        finally
        {
            if (view.Transient)
            {
                view.Stop();
            }
        }
    }

    /// <summary>Tells the observer (dependency events) of a mesh answer given outside HTTP.</summary>
    public void ObserveMesh(CallerState? caller, TargetState target)
    {
        if (caller is not null)
        {
            _observer.OnMeshAnswer(caller, target);
        }
    }

    /// <summary>Headers' view of freshness: known leader and last contact in ms, from upstream and Kubernetes.</summary>
    public (bool KnownLeader, long LastContactMs) Freshness(UpstreamSnapshot snapshot)
    {
        var lastContact = snapshot.Result?.LastContactMs ?? 0;
        var known = snapshot.Result?.KnownLeader ?? false;
        if (snapshot.Failing)
        {
            known = false;
            if (snapshot.LastSuccess > DateTimeOffset.MinValue)
            {
                lastContact = Math.Max(lastContact, (long)(_time.GetUtcNow() - snapshot.LastSuccess).TotalMilliseconds);
            }
        }

        if (_cluster.Disconnected is { } down)
        {
            known = false;
            lastContact = Math.Max(lastContact, (long)down.TotalMilliseconds);
        }

        return (known, lastContact);
    }

    private static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private (CallerState? Caller, TargetState? Target) Find(string service, IPAddress? caller, bool localDatacenter)
    {
        var callerState = _cluster.FindCaller(Normalize(caller)?.ToString());
        return (callerState, localDatacenter ? _cluster.FindTarget(service, callerState?.Namespace) : null);
    }

    /// <summary>The answer of <paramref name="query"/> (null: a read upstream alone decides) from <paramref name="view"/> now.</summary>
    private Answer? Compute(ServiceQuery? query, UpstreamView view) => query is null ? ComputeUpstream(view) : ComputeService(query, view);

    private Task<Answer> AnswerAsync(UpstreamView view, ServiceQuery? query, ulong minIndex, TimeSpan wait, string @interface, CancellationToken cancellationToken)
    {
        if (minIndex == 0 && !view.Transient && view.Snapshot.Result is not null)
        {
            // A plain lookup on a view that has answered: nothing to wait for, so none of the blocking machinery (BlockAsync
            // would compute and count the same answer at its first look).
            var answer = Compute(query, view) ?? Unavailable(view);
            AnswerCounter(@interface, answer.Kind).Inc();
            return Task.FromResult(answer);
        }

        return BlockAsync(view, query, minIndex, wait, @interface, cancellationToken);
    }

    private async Task<Answer> BlockAsync(UpstreamView view, ServiceQuery? query, ulong minIndex, TimeSpan wait, string @interface, CancellationToken cancellationToken)
    {
        // Blocked: no timer, no linked token source and no Task.WhenAny over shared tasks per waiter. Each round has one
        // waiter, registered in O(1) with the upstream view's and the cluster's change signals and with a slot of the
        // shared deadline wheel, and unregistered in O(1) when one of them (or the client going away) wakes it.
        DateTimeOffset? deadline = null;
        var expired = false;
        var changedAt = 0L;
        StrongBox<TaskCompletionSource<long>>? current = null;
        CancellationTokenRegistration abort = default;
        try
        {
            if (view.Snapshot.Result is null && !view.FirstAttempt.IsCompleted)
            {
                await view.FirstAttempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                var answer = Compute(query, view) ?? Unavailable(view);
                if (Ready(answer))
                {
                    return Done(answer);
                }

                // About to park: listen first, then look again, so a change between the two looks is not missed. A read
                // answered at once (a plain lookup, a watch whose index is behind) never registers.
                var wake = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                using var upstreamLink = view.Changed.Register(wake);
                using var clusterLink = _cluster.Changed.Register(wake);
                answer = Compute(query, view) ?? Unavailable(view);
                if (Ready(answer))
                {
                    return Done(answer);
                }

                if (deadline is null)
                {
                    _metrics.Watchers.Inc();
                    _metrics.Blocked.Inc();
                    deadline = _time.GetUtcNow() + wait + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * (wait.Ticks / 16)));
                    if (cancellationToken.CanBeCanceled)
                    {
                        current = new StrongBox<TaskCompletionSource<long>>(wake);
                        abort = cancellationToken.UnsafeRegister(static state => ((StrongBox<TaskCompletionSource<long>>)state!).Value!.TrySetResult(-1), current);
                    }
                }

                if (current is not null)
                {
                    current.Value = wake;
                    if (cancellationToken.IsCancellationRequested)
                    {
                        wake.TrySetResult(-1);
                    }
                }

                using var deadlineLink = _deadlines.At(deadline.Value, wake);
                view.Touch();
                var woke = await wake.Task.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                expired = woke == 0;
                if (changedAt == 0 && woke > 0)
                {
                    // The first change that woke this query: its answer is measured from here (discovery_wake_seconds).
                    changedAt = woke;
                }
            }
        }
        finally
        {
            abort.Dispose();
            if (view.Transient)
            {
                view.Stop();
            }

            if (deadline is not null)
            {
                _metrics.Watchers.Dec();
            }
        }

        bool Ready(Answer answer) => minIndex == 0 || answer.Index > minIndex || expired || answer.Status >= 500;

        Answer Done(Answer answer)
        {
            AnswerCounter(@interface, answer.Kind).Inc();
            return changedAt == 0 ? answer : answer with { ChangedAt = changedAt };
        }
    }

    /// <summary>The answers counter child of <paramref name="interface"/> and <paramref name="kind"/>, looked up once (HTTP's without hashing).</summary>
    public Prometheus.Counter.Child AnswerCounter(string @interface, AnswerKind kind)
    {
        if (ReferenceEquals(@interface, "http"))
        {
            return _httpCounters[(int)kind] ??= Lookup(@interface, kind);
        }

        return Lookup(@interface, kind);

        Prometheus.Counter.Child Lookup(string @interface, AnswerKind kind) =>
            _answerCounters.GetOrAdd((@interface, kind), static (key, metrics) => metrics.Answers.WithLabels(key.Item1, key.Item2.ToString().ToLowerInvariant()), _metrics);
    }

    private Answer? ComputeUpstream(UpstreamView view)
    {
        var snapshot = view.Snapshot;
        if (snapshot.Result is not { } result)
        {
            return null;
        }

        var (known, last) = Freshness(snapshot);
        return new Answer(result.Status, result.Body, result.ContentType ?? "application/json", Math.Max(result.Index, 1), known, last, _cluster.Switch.GlobalRollback ? AnswerKind.Proxy : AnswerKind.Legacy);
    }

    internal Answer? ComputeService(ServiceQuery query, UpstreamView view)
    {
        var (caller, target) = Find(query.Service, query.Caller, query.LocalDatacenter);
        var @switch = _cluster.Switch;
        var snapshot = view.Snapshot;
        var key = new AnswerKey(query.Endpoint, query.Service, query.HasSelectors, query.LocalDatacenter, caller);
        Answer? answer;
        if (view.Answers.TryGetValue(key, out var cached) && cached.IsFor(snapshot, target, @switch) && !snapshot.Failing && _cluster.Disconnected is null)
        {
            answer = cached.Answer;
        }
        else
        {
            answer = ComputeService(query, snapshot, caller, target, @switch);
            // Reusable only while its headers do not depend on the time (last contact grows while upstream or Kubernetes fails).
            if (answer is not null && !snapshot.Failing && _cluster.Disconnected is null)
            {
                if (view.Answers.Count >= UpstreamView.MaxCachedAnswers)
                {
                    view.Answers.Clear();
                }

                view.Answers[key] = new CachedAnswer(snapshot, target, @switch, answer);
            }
        }

        if (answer is { Kind: AnswerKind.Mesh, Body.Length: > 2 } && caller is not null)
        {
            _observer.OnMeshAnswer(caller, target!);
        }

        return answer;
    }

    /// <summary>The answer of <paramref name="query"/> computed from these inputs, uncached (the reference the cache must equal).</summary>
    internal Answer? ComputeService(ServiceQuery query, UpstreamSnapshot snapshot, CallerState? caller, TargetState? target, SwitchInfo @switch)
    {
        var kind = DiscoveryRule.Decide(caller, target, @switch.GlobalRollback);
        var (known, last) = Freshness(snapshot);
        var index = DiscoveryIndex.Compose(snapshot.Result?.Index ?? 0, target?.ChangeVersion ?? 0, caller?.ResourceVersion ?? 0, @switch.Version);
        if (kind != AnswerKind.Mesh || snapshot.Result is { Status: >= 400 and < 500 })
        {
            // Upstream refused the query itself (a malformed filter or node-meta, an ACL error): a mesh caller gets the
            // same refusal, Consul's own status and text, as a legacy caller does — never a 200 that hides it.
            return snapshot.Result is { } result
                ? new Answer(result.Status, result.Body, result.ContentType ?? "application/json", index, known, last, kind == AnswerKind.Mesh ? AnswerKind.Legacy : kind)
                : null;
        }

        var (tags, count) = ReadTags(query.Endpoint, snapshot.Result);
        var none = query.HasSelectors && snapshot.Result is not null && count == 0;
        var body = MeshJson.Write(query.Endpoint, query.Service, target!, tags, none, _options.Datacenter, _options.MeshNodeName, index);
        return new Answer(200, body, "application/json", index, known, last, AnswerKind.Mesh);
    }

    private static Answer Unavailable(UpstreamView view) =>
        new(500, Encoding.UTF8.GetBytes("upstream Consul unavailable: " + (view.Snapshot.Error ?? "no answer yet")), "text/plain; charset=utf-8", 1, false, 0, AnswerKind.Legacy);

    /// <summary>Union of the instances' tags in an upstream answer (order of first appearance) and the instance count.</summary>
    private static (IReadOnlyList<string> Tags, int Count) ReadTags(ServiceEndpoint endpoint, UpstreamResult? result)
    {
        if (result is not { Status: 200 })
        {
            return ([], 0);
        }

        try
        {
            using var document = JsonDocument.Parse(result.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ([], 0);
            }

            var tags = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var list = endpoint switch
                {
                    ServiceEndpoint.Health => element.TryGetProperty("Service", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("Tags", out var t) ? t : default,
                    _ => element.TryGetProperty("ServiceTags", out var st) ? st : default,
                };
                if (list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var tag in list.EnumerateArray())
                {
                    if (tag.ValueKind == JsonValueKind.String && seen.Add(tag.GetString()!))
                    {
                        tags.Add(tag.GetString()!);
                    }
                }
            }

            return (tags, document.RootElement.GetArrayLength());
        }
        catch (JsonException)
        {
            return ([], 0);
        }
    }
}
