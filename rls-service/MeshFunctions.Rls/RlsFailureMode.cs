namespace MeshFunctions.Rls;

/// <summary>The answer given while the counter store fails.</summary>
public enum RlsFailureMode
{
    /// <summary>Admit (OK), like Envoy's <c>failure_mode_deny: false</c>.</summary>
    Open,

    /// <summary>Reject (OVER_LIMIT).</summary>
    Closed,
}
