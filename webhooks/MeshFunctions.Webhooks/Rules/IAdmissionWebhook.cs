using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>One webhook endpoint: translates a request into calls to core's admission rules and back.</summary>
internal interface IAdmissionWebhook
{
    /// <summary>The path segment and metrics label, e.g. <c>workloads</c>.</summary>
    string Name { get; }

    /// <summary>Mutating webhooks may return a patch; validating ones never do.</summary>
    bool Mutating { get; }

    ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
