namespace MeshFunctions.Core.Admission;

/// <summary>What <see cref="RetryPolicyCheck"/> does with a risky gRPC retry policy.</summary>
public enum RetryPolicyMode
{
    /// <summary>Reject the VirtualService.</summary>
    Deny,

    /// <summary>Admit it with a warning.</summary>
    Warn,
}
