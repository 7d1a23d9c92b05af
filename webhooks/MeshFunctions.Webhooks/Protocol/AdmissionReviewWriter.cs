using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Writes the AdmissionReview response the API server checks (<c>admissionreview.go</c>): same apiVersion/kind, the
/// request's uid, <c>patchType: JSONPatch</c> with a base64 patch only from mutating webhooks and only when non-empty,
/// warnings of at most 120 characters (at most 4096 in total), and <c>status.code</c>/<c>message</c> on denials.
/// </summary>
internal static class AdmissionReviewWriter
{
    public const int MaxWarningLength = 120;
    public const int MaxWarningsTotal = 4096;

    public static JsonObject Write(string uid, AdmissionOutcome outcome, bool mutating)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = outcome.Allowed };
        if (!outcome.Allowed)
        {
            response["status"] = new JsonObject
            {
                ["code"] = outcome.Code,
                ["message"] = outcome.Message ?? "denied",
                ["reason"] = outcome.Code switch { 400 => "BadRequest", 422 => "Invalid", 413 => "RequestEntityTooLarge", 504 => "Timeout", _ => "Forbidden" },
            };
        }

        if (mutating && outcome.Allowed && outcome.Patch.Count > 0)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = JsonPatch.ToBase64(outcome.Patch);
        }

        var warnings = Warnings(outcome.Warnings);
        if (warnings.Count > 0)
        {
            response["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)w).ToArray());
        }

        if (outcome.AuditAnnotations.Count > 0)
        {
            var audit = new JsonObject();
            foreach (var (key, value) in outcome.AuditAnnotations)
            {
                audit[key] = value;
            }

            response["auditAnnotations"] = audit;
        }

        return new JsonObject { ["apiVersion"] = AdmissionReviewReader.ApiVersion, ["kind"] = "AdmissionReview", ["response"] = response };
    }

    /// <summary>Warnings as the API server passes them on: each ≤ 120 characters (cut with "..."), distinct, ≤ 4096 in total.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<string> warnings)
    {
        var result = new List<string>();
        var total = 0;
        foreach (var raw in warnings.Distinct(StringComparer.Ordinal))
        {
            var w = raw.ReplaceLineEndings(" ").Trim();
            if (w.Length > MaxWarningLength)
            {
                w = w[..(MaxWarningLength - 3)] + "...";
            }

            if (w.Length == 0 || total + w.Length > MaxWarningsTotal)
            {
                continue;
            }

            total += w.Length;
            result.Add(w);
        }

        return result;
    }
}
