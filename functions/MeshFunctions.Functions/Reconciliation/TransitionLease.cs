using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// <c>status.transition</c> of a Router: who runs its transition and until when. Written with the Router's
/// resourceVersion as precondition, so of several instances exactly one claims it (the others get 409).
/// </summary>
/// <param name="Id">The transition's id (continuation messages carry it).</param>
/// <param name="Origin">The event that started or last claimed it (its redelivery may re-send the continuation).</param>
/// <param name="Step">Phases applied so far.</param>
/// <param name="NotBefore">While set and in the future, the transition waits for proxies: nobody applies anything.</param>
/// <param name="LeaseUntil">The holder's exclusive time.</param>
/// <param name="Dirty">Another event arrived while the holder applied: it must re-plan before it reports Ready.</param>
/// <param name="Failed">Applying the phase failed: its message is retried (towards the poison queue), no continuation follows.</param>
internal sealed record TransitionLease(string Id, string Origin, long Step, DateTimeOffset? NotBefore, DateTimeOffset LeaseUntil, bool Dirty, bool Failed = false)
{
    public bool IsWaiting(DateTimeOffset now) => NotBefore is { } t && t > now;

    public bool IsHeld(DateTimeOffset now) => LeaseUntil > now;

    public static TransitionLease? Read(JsonObject router)
    {
        if (router["status"]?["transition"] is not JsonObject t || (string?)t["id"] is not { Length: > 0 } id)
        {
            return null;
        }

        return new TransitionLease(
            id,
            (string?)t["origin"] ?? string.Empty,
            t["step"] is JsonValue s && s.TryGetValue<long>(out var step) ? step : 0,
            Time(t["notBefore"]),
            Time(t["leaseUntil"]) ?? DateTimeOffset.MinValue,
            t["dirty"] is JsonValue d && d.TryGetValue<bool>(out var dirty) && dirty,
            t["failed"] is JsonValue f && f.TryGetValue<bool>(out var failed) && failed);
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["origin"] = Origin,
        ["step"] = Step,
        ["notBefore"] = NotBefore?.ToString("O", CultureInfo.InvariantCulture),
        ["leaseUntil"] = LeaseUntil.ToString("O", CultureInfo.InvariantCulture),
        ["dirty"] = Dirty,
        ["failed"] = Failed,
    };

    private static DateTimeOffset? Time(JsonNode? node) =>
        (string?)node is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
}
