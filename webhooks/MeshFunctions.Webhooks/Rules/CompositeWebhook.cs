using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// <c>/mutate</c> and <c>/validate</c>: every webhook of one type at one path, for configurations that register a single
/// entry. Mutating: the first part that handles the kind answers (namespaces for Namespace, workloads otherwise).
/// Validating: every part answers and the answers are combined (denied when one denies).
/// </summary>
internal sealed class CompositeWebhook(string name, bool mutating, IReadOnlyList<IAdmissionWebhook> parts) : IAdmissionWebhook
{
    public string Name => name;

    public bool Mutating => mutating;

    public async ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (mutating)
        {
            var part = request.Kind.Kind == "Namespace" ? parts.First(p => p.Name == "namespaces") : parts.First(p => p.Name == "workloads");
            return await part.AdmitAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var outcome = AdmissionOutcome.Allow();
        foreach (var part in parts)
        {
            outcome = outcome.Combine(await part.AdmitAsync(request, cancellationToken).ConfigureAwait(false));
        }

        return outcome;
    }
}
