using System.Text.Json.Nodes;
using MeshFunctions.Functions.Outcomes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// On the last attempt of a failing message (the host moves it to <c>&lt;queue&gt;-poison</c> next), tells the Router
/// why (Degraded, reason <c>EventPoisoned</c>) and publishes a Failed outcome. Reads the Router from the CloudEvent's
/// subject (<c>ns/name</c>) or a deploy event's namespace/service, without trusting the message to be valid.
/// </summary>
internal sealed class FailureReporter(RouterReconciler reconciler, IOutcomePublisher outcomes, TimeProvider time)
{
    public async Task ReportAsync(string queue, string message, Exception error, CancellationToken cancellationToken)
    {
        string? id = null;
        (string Ns, string Name)? router = null;
        try
        {
            var json = JsonNode.Parse(message) as JsonObject;
            id = (string?)json?["id"];
            if ((string?)json?["subject"] is { } subject && subject.Split('/') is [var ns, var name])
            {
                router = (ns, name);
            }
            else if ((string?)json?["data"]?["namespace"] is { } dns && (string?)json?["data"]?["service"] is { } svc)
            {
                router = (dns, svc);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not even JSON: nothing to attribute it to.
        }

        var text = $"{queue} message {id ?? "(no id)"} failed for the last time and goes to {queue}-poison: {error.GetType().Name}: {error.Message}";
        if (router is { } r)
        {
            await reconciler.ReportFailureAsync(r.Ns, r.Name, "EventPoisoned", text, cancellationToken).ConfigureAwait(false);
            await outcomes.PublishAsync(new MeshOutcome(id ?? string.Empty, r.Ns, r.Name, MeshOutcomeKind.Failed, 0, text, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
    }
}
