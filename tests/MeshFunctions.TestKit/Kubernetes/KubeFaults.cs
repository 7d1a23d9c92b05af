using MeshFunctions.TestKit.Kubernetes.Internal;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// On-demand faults for a <see cref="FakeKubernetesApi"/>: added latency and failing responses, optionally
/// limited to a verb and/or resource with <see cref="KubeRequestMatch"/>. Thread-safe.
/// </summary>
public sealed partial class KubeFaults
{
    private readonly Lock _gate = new();
    private readonly List<(KubeRequestMatch Match, TimeSpan Delay)> _latency = [];
    private readonly List<FailureRule> _failures = [];

    /// <summary>Delays every matching request by <paramref name="delay"/> before it is served (cumulative).</summary>
    public void AddLatency(TimeSpan delay, KubeRequestMatch? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            _latency.Add((match ?? KubeRequestMatch.Any, delay));
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> matching requests fail with <paramref name="statusCode"/>:
    /// 429 (TooManyRequests, with <c>Retry-After</c>), 500 (InternalError), 503 (ServiceUnavailable) or 504 (Timeout).
    /// </summary>
    public void FailNext(int count, int statusCode, KubeRequestMatch? match = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (statusCode is not (429 or 500 or 503 or 504))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "supported: 429, 500, 503, 504");
        }

        lock (_gate)
        {
            _failures.Add(new FailureRule(match ?? KubeRequestMatch.Any, statusCode, retryAfter ?? TimeSpan.FromSeconds(1)) { Remaining = count });
        }
    }

    /// <summary>Removes all latency and pending failures.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _latency.Clear();
            _failures.Clear();
        }

        ClearConflicts();
    }

    /// <summary>How many injected failures were served so far.</summary>
    public int InjectedFailures { get; private set; }

    internal TimeSpan LatencyFor(string verb, string? plural)
    {
        lock (_gate)
        {
            return _latency.Where(l => l.Match.Matches(verb, plural)).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Delay);
        }
    }

    internal KubeApiException? TakeFailure(string verb, string? plural)
    {
        if (TakeConflict(verb, plural) is { } conflict)
        {
            return conflict;
        }

        lock (_gate)
        {
            var rule = _failures.FirstOrDefault(f => f.Remaining > 0 && f.Match.Matches(verb, plural));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            InjectedFailures++;
            var seconds = (int)Math.Ceiling(rule.RetryAfter.TotalSeconds);
            return rule.StatusCode switch
            {
                429 => KubeStatus.TooManyRequests(seconds),
                500 => KubeStatus.Internal("injected failure"),
                503 => KubeStatus.ServiceUnavailable("injected failure: the server is currently unable to handle the request"),
                _ => new KubeApiException(504, "Timeout", "injected failure: the server was unable to return a response in the time allotted"),
            };
        }
    }

    private sealed record FailureRule(KubeRequestMatch Match, int StatusCode, TimeSpan RetryAfter)
    {
        public int Remaining { get; set; }
    }
}
