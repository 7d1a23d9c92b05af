using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// Calls one webhook as kube-apiserver does: POST of an <c>admission.k8s.io/v1</c> AdmissionReview to
/// <c>clientConfig.url</c> with <c>?timeout=Ns</c>, TLS verified against <c>clientConfig.caBundle</c> only (and the host
/// name), <c>timeoutSeconds</c> (default 10), and the response checks of <c>admissionreview.go</c>. Any failure is a
/// <see cref="WebhookCallException"/>; the caller applies <c>failurePolicy</c>.
/// </summary>
internal static class WebhookClient
{
    public static async Task<JsonObject> CallAsync(JsonObject webhook, AdmissionAttributes a, string uid, bool mutating, CancellationToken cancellationToken)
    {
        var name = ObjectRules.Text(webhook, "name") ?? "?";
        var config = webhook["clientConfig"] as JsonObject ?? throw new WebhookCallException("clientConfig is missing");
        var url = ObjectRules.Text(config, "url")
            ?? throw new WebhookCallException("clientConfig.service is not supported by the fake API server (no Service network); register the webhook with clientConfig.url");
        var timeout = webhook["timeoutSeconds"] is JsonValue t && t.TryGetValue<int>(out var seconds) ? seconds : 10;
        var ca = Convert.FromBase64String(ObjectRules.Text(config, "caBundle") ?? string.Empty);
        using var handler = Handler(ca);
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        var review = Review(a, uid);
        var target = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timeout=" + timeout.ToString(CultureInfo.InvariantCulture) + "s";
        string text;
        try
        {
            using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(target, content, deadline.Token);
            text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebhookCallException($"Post \"{target}\": the server responded with the status code {(int)response.StatusCode} but did not return an AdmissionReview: {text.Trim()}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebhookCallException($"Post \"{target}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            throw new WebhookCallException($"Post \"{target}\": {e.Message} {e.InnerException?.Message}".Trim());
        }

        return Check(text, uid, mutating, name);
    }

    private static JsonObject Check(string text, string uid, bool mutating, string name)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new WebhookCallException("could not parse the webhook response: " + e.Message);
        }

        if (ObjectRules.Text(body, "apiVersion") != "admission.k8s.io/v1" || ObjectRules.Text(body, "kind") != "AdmissionReview")
        {
            throw new WebhookCallException($"expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got {ObjectRules.Text(body, "apiVersion")}, Kind={ObjectRules.Text(body, "kind")}");
        }

        var response = body!["response"] as JsonObject ?? throw new WebhookCallException("webhook response was absent");
        if (ObjectRules.Text(response, "uid") != uid)
        {
            throw new WebhookCallException($"expected response.uid=\"{uid}\", got \"{ObjectRules.Text(response, "uid")}\"");
        }

        var hasPatch = response["patch"] is not null;
        var patchType = ObjectRules.Text(response, "patchType");
        if (!mutating && (hasPatch || patchType is not null))
        {
            throw new WebhookCallException($"validating webhook {name} may not return a patch or patchType");
        }

        if (hasPatch != (patchType is not null) || (patchType is not null && patchType != "JSONPatch"))
        {
            throw new WebhookCallException($"webhook {name} returned patch without patchType JSONPatch (or the reverse): patchType={patchType}");
        }

        return response;
    }

    private static JsonObject Review(AdmissionAttributes a, string uid)
    {
        var gvk = new JsonObject { ["group"] = a.Type.Group, ["version"] = a.Type.Version, ["kind"] = a.Type.Kind };
        var gvr = new JsonObject { ["group"] = a.Type.Group, ["version"] = a.Type.Version, ["resource"] = a.Type.Plural };
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = gvk,
            ["resource"] = gvr,
            ["requestKind"] = gvk.DeepClone(),
            ["requestResource"] = gvr.DeepClone(),
            ["name"] = a.Name,
            ["operation"] = a.Operation,
            ["userInfo"] = new JsonObject { ["username"] = a.Username, ["groups"] = new JsonArray("system:authenticated") },
            ["object"] = a.Object?.DeepClone(),
            ["oldObject"] = a.OldObject?.DeepClone(),
            ["dryRun"] = a.DryRun,
            ["options"] = a.Options?.DeepClone(),
        };
        if (a.SubResource is not null)
        {
            request["subResource"] = a.SubResource;
            request["requestSubResource"] = a.SubResource;
        }

        if (a.Namespace is not null)
        {
            request["namespace"] = a.Namespace;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    private static SocketsHttpHandler Handler(byte[] caBundle)
    {
        var roots = new X509Certificate2Collection();
        if (caBundle.Length > 0)
        {
            roots.ImportFromPem(Encoding.ASCII.GetString(caBundle));
        }

        return new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || roots.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = new X509Certificate2(certificate);
                    return chain.Build(leaf);
                },
            },
        };
    }
}
