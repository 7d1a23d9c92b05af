using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Core.Deployments;

/// <summary>
/// The order in which a Router takes its deploy events. Each service numbers its events 1, 2, 3, …; the Router records
/// the last number applied. A lower or equal number is a no-op. A higher number whose predecessors have not come yet is
/// parked on the Router itself (not cycled through the queue), and the event that fills the gap applies every parked
/// event that now follows in order, in one Router write: a burst for one Router coalesces into one transition. A
/// missing number is waited for at most the gap timeout, counted from the oldest parked event's time; then it is treated
/// as lost and the parked events apply. Pure: the deploy handler reads the Router, decides, and writes once.
/// </summary>
public static class DeployOrdering
{
    /// <summary>Most events one Router keeps parked (they live in an annotation); beyond it an event goes back on the queue.</summary>
    public const int MaxParked = 32;

    /// <summary>
    /// Decides what to do with <paramref name="incoming"/> (or, when it is null, whether parked events can apply now
    /// because their gap timed out) given the Router's last applied sequence and its parked events.
    /// </summary>
    public static DeployOrderDecision Decide(long last, IReadOnlyList<MeshEvent<DeployEvent>> parked, MeshEvent<DeployEvent>? incoming, DateTimeOffset now, TimeSpan gapTimeout)
    {
        ArgumentNullException.ThrowIfNull(parked);
        var pending = new SortedDictionary<long, MeshEvent<DeployEvent>>();
        foreach (var e in parked.Where(e => e.Data.Sequence > last))
        {
            pending.TryAdd(e.Data.Sequence, e);
        }

        var kept = pending.Values.ToList();
        if (incoming is not null)
        {
            var sequence = incoming.Data.Sequence;
            if (sequence < last)
            {
                return new DeployOrderDecision(DeployOrderKind.Stale, [], kept, false);
            }

            if (sequence == last)
            {
                return new DeployOrderDecision(DeployOrderKind.Current, [], kept, false);
            }

            if (!pending.TryAdd(sequence, incoming))
            {
                return new DeployOrderDecision(DeployOrderKind.Duplicate, [], kept, false);
            }
        }

        var apply = new List<MeshEvent<DeployEvent>>();
        var next = last + 1;
        var gap = false;
        while (pending.Count > 0)
        {
            while (pending.Remove(next, out var e))
            {
                apply.Add(e);
                next++;
            }

            if (pending.Count == 0 || now - pending.Values.Min(e => e.Time) < gapTimeout)
            {
                break;
            }

            // The oldest parked event has waited long enough: the numbers before the lowest parked one are lost.
            gap = true;
            next = pending.Keys.First();
        }

        var remaining = pending.Values.ToList();
        if (apply.Count > 0)
        {
            return new DeployOrderDecision(DeployOrderKind.Apply, apply, remaining, gap);
        }

        if (incoming is null)
        {
            return new DeployOrderDecision(DeployOrderKind.Waiting, [], remaining, false);
        }

        return remaining.Count > MaxParked
            ? new DeployOrderDecision(DeployOrderKind.Defer, [], kept, false)
            : new DeployOrderDecision(DeployOrderKind.Park, [], remaining, false);
    }

    /// <summary>Parked events as they are stored on the Router: a JSON array of the CloudEvents, or null when there are none.</summary>
    public static string? Format(IReadOnlyList<MeshEvent<DeployEvent>> parked)
    {
        ArgumentNullException.ThrowIfNull(parked);
        if (parked.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var e in parked)
        {
            array.Add(JsonNode.Parse(MeshEventCodec.Encode(e)));
        }

        return array.ToJsonString();
    }

    /// <summary>Reads what <see cref="Format"/> wrote.</summary>
    /// <exception cref="MeshEventFormatException">The text is not a JSON array of deploy events.</exception>
    public static IReadOnlyList<MeshEvent<DeployEvent>> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        JsonArray array;
        try
        {
            array = JsonNode.Parse(text) as JsonArray ?? throw new MeshEventFormatException("parked deploy events: not a JSON array");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new MeshEventFormatException($"parked deploy events: not JSON: {ex.Message}");
        }

        return [.. array.Select(node => MeshEventCodec.Decode<DeployEvent>(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"), MeshEventTypes.Deploy))];
    }
}
