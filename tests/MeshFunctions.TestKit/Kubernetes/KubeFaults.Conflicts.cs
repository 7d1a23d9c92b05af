using MeshFunctions.TestKit.Kubernetes.Internal;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>Injected 409 Conflict answers (a "409 storm": another writer keeps winning the optimistic-concurrency race).</summary>
public sealed partial class KubeFaults
{
    private readonly Lock _conflictGate = new();
    private readonly List<ConflictRule> _conflicts = [];

    /// <summary>How many injected conflicts were served so far.</summary>
    public int InjectedConflicts { get; private set; }

    /// <summary>
    /// The next <paramref name="count"/> matching requests are refused with 409 Conflict (reason <c>Conflict</c>, "the
    /// object has been modified"), as the API server answers a write with a stale resourceVersion. Nothing is stored;
    /// the client must re-read and try again. Usually matched to a write verb (<c>update</c>, <c>patch</c>).
    /// </summary>
    public void ConflictNext(int count, KubeRequestMatch? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_conflictGate)
        {
            _conflicts.Add(new ConflictRule(match ?? KubeRequestMatch.Any) { Remaining = count });
        }
    }

    /// <summary>Drops the pending injected conflicts.</summary>
    public void ClearConflicts()
    {
        lock (_conflictGate)
        {
            _conflicts.Clear();
        }
    }

    private KubeApiException? TakeConflict(string verb, string? plural)
    {
        lock (_conflictGate)
        {
            var rule = _conflicts.FirstOrDefault(c => c.Remaining > 0 && c.Match.Matches(verb, plural));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            InjectedConflicts++;
            return new KubeApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {plural ?? "the object"}: the object has been modified; please apply your changes to the latest version and try again (injected)");
        }
    }

    private sealed record ConflictRule(KubeRequestMatch Match)
    {
        public int Remaining { get; set; }
    }
}
