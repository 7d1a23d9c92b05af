using System.Text;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// kube-apiserver's webhook admission for the fake: the stored Mutating/ValidatingWebhookConfigurations are read for every
/// write. Mutating webhooks run one after another, configurations in name order and webhooks in list order, each
/// returned JSON patch applied before the next call; a webhook with <c>reinvocationPolicy: IfNeeded</c> is called once
/// more when a later webhook changed the object after it. Validating webhooks then run in parallel. A denial becomes the
/// API server's error (<c>admission webhook "name" denied the request: message</c>, the webhook's code, at least 400); a
/// failed call follows <c>failurePolicy</c> (default Fail: 500 <c>failed calling webhook</c>). Dry-run requests are refused
/// (400) when a matching webhook's <c>sideEffects</c> is not None/NoneOnDryRun. Warnings are collected for
/// <c>Warning</c> headers.
/// </summary>
internal sealed partial class AdmissionChain(ObjectStore store, ResourceRegistry registry)
{
    private readonly KubeResourceType _mutating = registry.FindByKind("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration")!;
    private readonly KubeResourceType _validating = registry.FindByKind("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration")!;
    private readonly KubeResourceType _namespaces = registry.FindByKind("v1", "Namespace")!;

    /// <summary>True when any webhook configuration is stored (otherwise writes skip admission entirely).</summary>
    public bool Active => Configurations(_mutating).Count > 0 || Configurations(_validating).Count > 0;

    /// <summary>Runs the mutating webhooks; returns the (possibly patched) object. Adds warnings.</summary>
    public async Task<JsonObject?> MutateAsync(AdmissionAttributes a, List<string> warnings, CancellationToken ct)
    {
        if (a.Operation is not ("CREATE" or "UPDATE") || a.Object is null)
        {
            await RunMutatingForEffectAsync(a, warnings, ct);
            return a.Object;
        }

        var current = a.Object;
        var version = 0;
        var seenAt = new List<(JsonObject Webhook, int Version)>();
        foreach (var webhook in Webhooks(_mutating))
        {
            var attributes = a with { Object = current };
            if (!Matches(webhook, attributes))
            {
                continue;
            }

            var (next, changed) = await CallMutatingAsync(webhook, attributes, warnings, ct);
            if (changed)
            {
                current = next;
                version++;
            }

            seenAt.Add((webhook, version));
        }

        foreach (var (webhook, at) in seenAt)
        {
            if (ObjectRules.Text(webhook, "reinvocationPolicy") == "IfNeeded" && at < version)
            {
                var (next, _) = await CallMutatingAsync(webhook, a with { Object = current }, warnings, ct);
                current = next;
            }
        }

        return current;
    }

    /// <summary>Runs the validating webhooks in parallel; throws the first denial (in configuration order).</summary>
    public async Task ValidateAsync(AdmissionAttributes a, List<string> warnings, CancellationToken ct)
    {
        var matching = Webhooks(_validating).Where(w => Matches(w, a)).ToList();
        var results = await Task.WhenAll(matching.Select(w => CallAsync(w, a, mutating: false, warnings, ct)));
        KubeApiException? denial = null;
        for (var i = 0; i < matching.Count; i++)
        {
            if (results[i] is not { } response)
            {
                continue;
            }

            lock (warnings)
            {
                warnings.AddRange(Warnings(response));
            }

            denial ??= Denial(matching[i], response);
        }

        if (denial is not null)
        {
            throw denial;
        }
    }

    private async Task RunMutatingForEffectAsync(AdmissionAttributes a, List<string> warnings, CancellationToken ct)
    {
        foreach (var webhook in Webhooks(_mutating).Where(w => Matches(w, a)))
        {
            await CallMutatingAsync(webhook, a, warnings, ct);
        }
    }

    private async Task<(JsonObject? Object, bool Changed)> CallMutatingAsync(JsonObject webhook, AdmissionAttributes a, List<string> warnings, CancellationToken ct)
    {
        if (await CallAsync(webhook, a, mutating: true, warnings, ct) is not { } response)
        {
            return (a.Object, false);
        }

        warnings.AddRange(Warnings(response));
        if (Denial(webhook, response) is { } denial)
        {
            throw denial;
        }

        if (ObjectRules.Text(response, "patch") is not { } patch || a.Object is null)
        {
            return (a.Object, false);
        }

        var operations = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(patch))) as JsonArray
            ?? throw KubeStatus.Internal($"failed calling webhook \"{ObjectRules.Text(webhook, "name")}\": the patch is not a JSON array");
        JsonObject patched;
        try
        {
            patched = JsonPatch.Apply(a.Object.DeepClone(), operations) as JsonObject
                ?? throw KubeStatus.Internal($"webhook \"{ObjectRules.Text(webhook, "name")}\" patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw KubeStatus.Internal($"failed calling webhook \"{ObjectRules.Text(webhook, "name")}\": JSON patch did not apply: {e.Message}");
        }

        return (patched, !JsonNode.DeepEquals(patched, a.Object));
    }

    /// <summary>The webhook's response, or null when the call failed and <c>failurePolicy: Ignore</c> skips it.</summary>
    private static async Task<JsonObject?> CallAsync(JsonObject webhook, AdmissionAttributes a, bool mutating, List<string> warnings, CancellationToken ct)
    {
        var name = ObjectRules.Text(webhook, "name") ?? "?";
        if (a.DryRun && ObjectRules.Text(webhook, "sideEffects") is not ("None" or "NoneOnDryRun"))
        {
            throw KubeStatus.BadRequest($"admission webhook \"{name}\" does not support dry run");
        }

        if (!Honoured(webhook, name, warnings))
        {
            return null;
        }

        try
        {
            return await WebhookClient.CallAsync(webhook, a, Guid.NewGuid().ToString(), mutating, ct);
        }
        catch (WebhookCallException e)
        {
            if (ObjectRules.Text(webhook, "failurePolicy") == "Ignore")
            {
                return null;
            }

            throw KubeStatus.Internal($"failed calling webhook \"{name}\": {e.Message}");
        }
    }

    private static KubeApiException? Denial(JsonObject webhook, JsonObject response)
    {
        if (response["allowed"] is JsonValue allowed && allowed.TryGetValue<bool>(out var ok) && ok)
        {
            return null;
        }

        var name = ObjectRules.Text(webhook, "name");
        var status = response["status"] as JsonObject;
        var code = status?["code"] is JsonValue c && c.TryGetValue<int>(out var n) && n >= 400 ? n : 400;
        var message = ObjectRules.Text(status, "message") is { Length: > 0 } m ? $"admission webhook \"{name}\" denied the request: {m}"
            : ObjectRules.Text(status, "reason") is { Length: > 0 } r ? $"admission webhook \"{name}\" denied the request: {r}"
            : $"admission webhook \"{name}\" denied the request without explanation";
        return new KubeApiException(code, ObjectRules.Text(status, "reason") ?? string.Empty, message);
    }

    private static IEnumerable<string> Warnings(JsonObject response) =>
        (response["warnings"] as JsonArray ?? []).Select(w => w is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();

    private bool Matches(JsonObject webhook, AdmissionAttributes a)
    {
        var ns = a.Type.Namespaced && a.Namespace is not null ? store.TryGet(_namespaces, null, a.Namespace) : null;
        return WebhookRules.Matches(webhook, a, ns);
    }

    private IEnumerable<JsonObject> Webhooks(KubeResourceType type) =>
        Configurations(type).SelectMany(c => (c["webhooks"] as JsonArray ?? []).OfType<JsonObject>());

    private List<JsonObject> Configurations(KubeResourceType type) =>
        store.List(type, null, LabelSelector.Everything, FieldSelector.Everything, 0, null).Items
            .OrderBy(c => ObjectRules.Text(c["metadata"], "name"), StringComparer.Ordinal)
            .ToList();
}
