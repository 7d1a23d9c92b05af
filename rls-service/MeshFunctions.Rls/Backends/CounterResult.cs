namespace MeshFunctions.Rls.Backends;

/// <summary>The verdict for one <see cref="CounterCheck"/>.</summary>
/// <param name="Admitted">Within the limit.</param>
/// <param name="Remaining">Requests left (0 when over).</param>
/// <param name="ResetMs">Milliseconds until the counter resets (fixed/sliding) or refills (token bucket).</param>
/// <param name="Used">Count after this call (for near-limit accounting).</param>
/// <param name="Failed">The store failed; the verdict is the configured failure mode.</param>
internal readonly record struct CounterResult(bool Admitted, long Remaining, long ResetMs, long Used, bool Failed = false);
