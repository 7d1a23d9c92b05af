using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Protocol;
using MeshFunctions.Webhooks.Sidecars;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// <c>/mutate/namespaces</c>: a created (or updated) namespace gets its <c>default</c> Sidecar through the Kubernetes API.
/// The namespace is not persisted yet while it is being admitted, so the write is handed to
/// <see cref="DefaultSidecarWriter"/>, which waits for it. Never on dry-run (<c>sideEffects: NoneOnDryRun</c>); no patch.
/// </summary>
internal sealed class NamespaceWebhook(DefaultSidecarWriter writer) : IAdmissionWebhook
{
    public string Name => "namespaces";

    public bool Mutating => true;

    public ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind.Kind == "Namespace" && request.Operation is AdmissionOperation.Create or AdmissionOperation.Update
            && !request.DryRun && request.Name is { Length: > 0 } name)
        {
            writer.Enqueue(name);
        }

        return ValueTask.FromResult(AdmissionOutcome.Allow());
    }
}
