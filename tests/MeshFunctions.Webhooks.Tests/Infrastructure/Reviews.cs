using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>AdmissionReviews shaped as kube-apiserver 1.32 sends them.</summary>
internal static class Reviews
{
    public static JsonObject For(string operation, JsonObject? obj, JsonObject? oldObj = null, string user = "alice@example.com", bool dryRun = false)
    {
        var subject = obj ?? oldObj ?? throw new ArgumentException("object or oldObject");
        var apiVersion = (string)subject["apiVersion"]!;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var kind = (string)subject["kind"]!;
        var resource = kind.EndsWith('y') ? kind.ToLowerInvariant()[..^1] + "ies" : kind.ToLowerInvariant() + "s";

        var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind };
        var gvr = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource };
        var ns = (string?)subject["metadata"]?["namespace"];
        var request = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["kind"] = gvk,
            ["resource"] = gvr,
            ["requestKind"] = gvk.DeepClone(),
            ["requestResource"] = gvr.DeepClone(),
            ["name"] = (string?)subject["metadata"]?["name"],
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = user, ["uid"] = "u-1", ["groups"] = new JsonArray("system:authenticated") },
            ["object"] = obj?.DeepClone(),
            ["oldObject"] = oldObj?.DeepClone(),
            ["dryRun"] = dryRun,
            ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = operation switch { "CREATE" => "CreateOptions", "UPDATE" => "UpdateOptions", _ => "DeleteOptions" } },
        };
        if (ns is not null)
        {
            request["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
