using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// The write path through the admission chain: mutating admission, then (where kube-apiserver validates the object
/// against its schema) validating admission, then the store — or, for <c>dryRun=All</c>, the answer the store would give
/// without storing. Without any webhook configuration stored, writes go straight to the store as before.
/// </summary>
internal sealed partial class KubeApiEndpoint
{
    private AdmissionChain? _admission;

    private AdmissionChain Admission => _admission ??= new AdmissionChain(_store, _registry);

    private static bool IsDryRun(HttpRequest request) => request.Query["dryRun"] == "All";

    /// <summary>
    /// Who the webhooks are told made the request (there is no authentication): <c>Impersonate-User</c> (kubectl <c>--as</c>),
    /// else a bearer token that is itself a <c>system:</c> user name (a kubeconfig with <c>token: system:serviceaccount:ns:sa</c>),
    /// else <c>kubernetes-admin</c>.
    /// </summary>
    private static string Username(HttpRequest request)
    {
        if (request.Headers["Impersonate-User"].ToString() is { Length: > 0 } impersonated)
        {
            return impersonated;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer system:", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "kubernetes-admin";
    }

    private async Task CreateAdmittedAsync(HttpContext context, KubeRoute route, JsonObject body, CancellationToken ct)
    {
        var name = ObjectRules.Text(body["metadata"] as JsonObject, "name") ?? string.Empty;
        var dryRun = IsDryRun(context.Request);
        var admitted = await AdmitAsync(context, route, "CREATE", name, body, null, null, dryRun, ct) ?? body;
        if (!dryRun)
        {
            await WriteJsonAsync(context, 201, _store.Create(route.Type, route.Namespace, admitted, keepStatus: false));
            return;
        }

        if (name.Length > 0 && _store.TryGet(route.Type, route.Namespace, name) is not null)
        {
            throw KubeStatus.AlreadyExists(route.Type, name);
        }

        var meta = ObjectRules.Metadata(admitted);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["generation"] = 1L;
        await WriteJsonAsync(context, 201, admitted);
    }

    private async Task UpdateAdmittedAsync(HttpContext context, KubeRoute route, JsonObject body, bool status, CancellationToken ct)
    {
        var dryRun = IsDryRun(context.Request);
        if (!dryRun && !Admission.Active)
        {
            await WriteJsonAsync(context, 200, _store.Update(route.Type, route.Namespace, route.Name!, body, status));
            return;
        }

        var current = _store.Get(route.Type, route.Namespace, route.Name!);
        var admitted = await AdmitAsync(context, route, "UPDATE", route.Name!, body, current, null, dryRun, ct) ?? body;
        await WriteJsonAsync(context, 200, dryRun ? admitted : _store.Update(route.Type, route.Namespace, route.Name!, admitted, status));
    }

    private async Task PatchAdmittedAsync(HttpContext context, KubeRoute route, Func<JsonObject, JsonObject> apply, bool status, CancellationToken ct)
    {
        var dryRun = IsDryRun(context.Request);
        if (!dryRun && !Admission.Active)
        {
            await WriteJsonAsync(context, 200, _store.Patch(route.Type, route.Namespace, route.Name!, apply, status));
            return;
        }

        // Admission sees the patched object; the store then takes it only if nothing changed in between (else 409).
        var current = _store.Get(route.Type, route.Namespace, route.Name!);
        var patched = apply(current.DeepClone().AsObject());
        ObjectRules.Metadata(patched)["resourceVersion"] = ObjectRules.Text(current["metadata"], "resourceVersion");
        var admitted = await AdmitAsync(context, route, "UPDATE", route.Name!, patched, current, null, dryRun, ct) ?? patched;
        await WriteJsonAsync(context, 200, dryRun ? admitted : _store.Patch(route.Type, route.Namespace, route.Name!, _ => admitted.DeepClone().AsObject(), status));
    }

    private async Task DeleteAdmittedAsync(HttpContext context, KubeRoute route, JsonObject? options, CancellationToken ct)
    {
        var dryRun = IsDryRun(context.Request);
        var current = _store.Get(route.Type, route.Namespace, route.Name!);
        await AdmitAsync(context, route, "DELETE", route.Name!, null, current, options, dryRun, ct);
        await WriteJsonAsync(context, 200, DeleteResponse(route.Type, dryRun ? current : _store.Delete(route.Type, route.Namespace, route.Name!, options)));
    }

    private async Task<JsonObject?> AdmitAsync(
        HttpContext context, KubeRoute route, string operation, string name, JsonObject? obj, JsonObject? old, JsonObject? options, bool dryRun, CancellationToken ct)
    {
        if (!Admission.Active)
        {
            return obj;
        }

        var warnings = new List<string>();
        var username = Username(context.Request);
        var attributes = new AdmissionAttributes(route.Type, operation, route.Namespace, name, route.Subresource, obj, old, options, dryRun, username);
        try
        {
            var mutated = await Admission.MutateAsync(attributes, warnings, ct);

            // kube-apiserver validates the object against its OpenAPI / CRD schema here, between mutating and validating admission.
            await Admission.ValidateAsync(attributes with { Object = mutated }, warnings, ct);
            return mutated;
        }
        finally
        {
            foreach (var warning in warnings)
            {
                context.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
            }
        }
    }
}
