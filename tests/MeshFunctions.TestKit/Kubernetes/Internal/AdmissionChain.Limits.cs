using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// Webhook configuration the fake cannot honour is never passed over in silence. <c>matchConditions</c> (CEL) are not
/// evaluated: calling such a webhook anyway would send it requests the real API server filters out, and skipping it would
/// hide it, so every write it matches is refused (500, naming the webhook and the field) whatever its failurePolicy.
/// <c>clientConfig.service</c> cannot be reached (there is no Service network): with <c>failurePolicy: Fail</c> the call
/// fails as before; with <c>Ignore</c> the webhook is skipped and the write carries a <c>Warning</c> saying so.
/// </summary>
internal sealed partial class AdmissionChain
{
    /// <summary>False when the webhook is skipped (a warning was added); throws when it must not be skipped.</summary>
    private static bool Honoured(JsonObject webhook, string name, List<string> warnings)
    {
        if (webhook["matchConditions"] is JsonArray { Count: > 0 })
        {
            throw KubeStatus.Internal(
                $"failed calling webhook \"{name}\": the fake API server does not evaluate matchConditions (CEL); remove them to test this webhook here");
        }

        var config = webhook["clientConfig"] as JsonObject;
        if (config?["url"] is null && config?["service"] is JsonObject && ObjectRules.Text(webhook, "failurePolicy") == "Ignore")
        {
            lock (warnings)
            {
                warnings.Add($"fake API server: webhook \"{name}\" skipped (clientConfig.service cannot be reached here; failurePolicy Ignore)");
            }

            return false;
        }

        return true;
    }
}
