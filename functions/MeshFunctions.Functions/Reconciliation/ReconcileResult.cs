namespace MeshFunctions.Functions.Reconciliation;

/// <summary>How one reconcile call ended.</summary>
internal enum ReconcileResult
{
    /// <summary>Live objects match the Router.</summary>
    InSync,

    /// <summary>A phase was applied (or is pending) and a continuation will carry on after the wait.</summary>
    Waiting,

    /// <summary>Another instance holds the Router's transition; it was told to re-plan.</summary>
    HandedOver,

    /// <summary>The Router does not exist (any more).</summary>
    NotFound,

    /// <summary>The Router is invalid; its status says why.</summary>
    Invalid,
}
