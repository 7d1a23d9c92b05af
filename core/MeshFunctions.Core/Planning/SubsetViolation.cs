using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Planning;

/// <summary>A subset a VirtualService uses that no DestinationRule for its host defines (a 503 waiting to happen).</summary>
/// <param name="Reference">Where the VirtualService names the subset.</param>
/// <param name="DestinationRuleExists">False when no DestinationRule at all exists for the host.</param>
public sealed record SubsetViolation(SubsetReference Reference, bool DestinationRuleExists)
{
    /// <summary>What is wrong and the safe order, for people.</summary>
    public string Message => DestinationRuleExists
        ? $"subset '{Reference.Subset}' is not defined by the DestinationRule for host '{Reference.Host}': add the subset to the DestinationRule first, wait for it to reach the proxies, then route to it (and remove routes before removing subsets)"
        : $"subset '{Reference.Subset}' needs a DestinationRule for host '{Reference.Host}', and there is none: create the DestinationRule with that subset first, wait for it to reach the proxies, then route to it";

    /// <summary>The violation as an error on the VirtualService's field.</summary>
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Error(Reference.Path, Message) with
        {
            Subject = $"VirtualService {Reference.VirtualServiceNamespace}/{Reference.VirtualServiceName}",
        };
}
