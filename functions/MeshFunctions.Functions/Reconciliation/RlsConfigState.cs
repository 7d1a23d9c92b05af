namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// The set of RateLimits (namespace/name@resourceVersion) this instance last saw the RLS ConfigMap agree with, so a
/// reconcile renders and compares the RLS configuration only when a RateLimit changed. The resync forgets it, so a
/// ConfigMap edited or deleted by hand is repaired within one resync period.
/// </summary>
internal sealed class RlsConfigState
{
    private volatile string? _confirmed;

    public bool IsConfirmed(string fingerprint) => _confirmed == fingerprint;

    public void Confirm(string fingerprint) => _confirmed = fingerprint;

    public void Forget() => _confirmed = null;
}
