using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// Builds a Router's <c>status.conditions</c> (Ready, Progressing, Degraded), Kubernetes style: type, status, reason,
/// message, observedGeneration, lastTransitionTime (kept while the status value does not change).
/// </summary>
internal static class RouterConditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";

    /// <summary>Sets one condition on <paramref name="status"/> (in place); returns true when anything changed.</summary>
    public static bool Set(JsonObject status, string type, bool value, string reason, string message, long? generation, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            status["conditions"] = conditions = [];
        }

        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        var statusText = value ? "True" : "False";
        if (existing is not null && (string?)existing["status"] == statusText && (string?)existing["reason"] == reason
            && (string?)existing["message"] == message && (long?)existing["observedGeneration"] == generation)
        {
            return false;
        }

        var since = existing is not null && (string?)existing["status"] == statusText
            ? (string?)existing["lastTransitionTime"]
            : now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = statusText,
            ["reason"] = reason,
            ["message"] = message.Length > 1024 ? message[..1024] : message,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = since,
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }

        return true;
    }

    /// <summary>The condition's status, reason and message, or null.</summary>
    public static (string Status, string Reason, string Message)? Get(JsonObject router, string type) =>
        (router["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type) is { } c
            ? ((string?)c["status"] ?? string.Empty, (string?)c["reason"] ?? string.Empty, (string?)c["message"] ?? string.Empty)
            : null;
}
