using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// Which webhooks a write is sent to, as kube-apiserver decides (<c>rules</c> with apiGroups/apiVersions/resources
/// (subresources as <c>plural/sub</c>, <c>*</c>, <c>*/*</c>)/operations/scope, <c>namespaceSelector</c>, <c>objectSelector</c>).
/// <c>matchPolicy</c> is moot (one version per resource here); <c>matchConditions</c> (CEL) are not evaluated, and a webhook that has
/// them is refused rather than called (see <c>AdmissionChain.Limits.cs</c>).
/// </summary>
internal static class WebhookRules
{
    public static bool Matches(JsonObject webhook, AdmissionAttributes a, JsonObject? namespaceObject)
    {
        return RulesMatch(webhook["rules"] as JsonArray, a)
            && NamespaceMatches(webhook["namespaceSelector"] as JsonObject, a, namespaceObject)
            && ObjectMatches(webhook["objectSelector"] as JsonObject, a);
    }

    private static bool RulesMatch(JsonArray? rules, AdmissionAttributes a)
    {
        foreach (var rule in (rules ?? []).OfType<JsonObject>())
        {
            var scope = ObjectRules.Text(rule, "scope") ?? "*";
            if (AnyOf(rule["apiGroups"], a.Type.Group)
                && AnyOf(rule["apiVersions"], a.Type.Version)
                && AnyOf(rule["operations"], a.Operation)
                && Strings(rule["resources"]).Any(r => ResourceMatches(r, a.Type.Plural, a.SubResource))
                && (scope == "*" || (scope == "Namespaced") == a.Type.Namespaced))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ResourceMatches(string pattern, string plural, string? sub)
    {
        var parts = pattern.Split('/', 2);
        var resourceOk = parts[0] == "*" || parts[0] == plural;
        var subOk = parts.Length == 1 ? sub is null : parts[1] == "*" || parts[1] == sub;
        return resourceOk && subOk;
    }

    private static bool NamespaceMatches(JsonObject? selector, AdmissionAttributes a, JsonObject? namespaceObject)
    {
        if (selector is null)
        {
            return true;
        }

        if (a.Type.Key == "v1/namespaces")
        {
            // A Namespace is matched against its own labels (as kube-apiserver does).
            return SelectorMatches(selector, LabelsWithName(a.Object ?? a.OldObject, a.Name));
        }

        if (!a.Type.Namespaced)
        {
            return true;
        }

        return SelectorMatches(selector, LabelsWithName(namespaceObject, a.Namespace ?? string.Empty));
    }

    private static bool ObjectMatches(JsonObject? selector, AdmissionAttributes a) =>
        selector is null
        || SelectorMatches(selector, Labels(a.Object))
        || (a.OldObject is not null && SelectorMatches(selector, Labels(a.OldObject)));

    /// <summary><c>matchLabels</c> and <c>matchExpressions</c> (In, NotIn, Exists, DoesNotExist); empty selects everything.</summary>
    public static bool SelectorMatches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var key in (selector["matchLabels"] as JsonObject ?? []).Select(p => p.Key))
        {
            if (!labels.TryGetValue(key, out var actual) || actual != ObjectRules.Text(selector["matchLabels"], key))
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = ObjectRules.Text(expression, "key") ?? string.Empty;
            var values = Strings(expression["values"]).ToList();
            var has = labels.TryGetValue(key, out var actual);
            var ok = ObjectRules.Text(expression, "operator") switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                var op => throw KubeStatus.BadRequest($"unknown label selector operator '{op}' in a webhook configuration"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string> Labels(JsonObject? obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = (obj?["metadata"] as JsonObject)?["labels"] as JsonObject;
        foreach (var key in (map ?? []).Select(p => p.Key))
        {
            if (ObjectRules.Text(map, key) is { } text)
            {
                labels[key] = text;
            }
        }

        return labels;
    }

    /// <summary>The real server labels every namespace <c>kubernetes.io/metadata.name</c>; the fake does not store it, so add it here.</summary>
    private static Dictionary<string, string> LabelsWithName(JsonObject? ns, string name)
    {
        var labels = Labels(ns);
        labels["kubernetes.io/metadata.name"] = name;
        return labels;
    }

    private static bool AnyOf(JsonNode? list, string value) => Strings(list).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonNode? list) =>
        (list as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();
}
