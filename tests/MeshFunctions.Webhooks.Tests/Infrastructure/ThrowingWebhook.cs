using MeshFunctions.Webhooks.Protocol;
using MeshFunctions.Webhooks.Rules;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>A rule with a bug: throws on every request (served at <c>/mutate/boom</c> or <c>/validate/boom</c>).</summary>
internal sealed class ThrowingWebhook(bool mutating) : IAdmissionWebhook
{
    public string Name => "boom";

    public bool Mutating => mutating;

    public ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("rule bug for uid " + request.Uid);
}
