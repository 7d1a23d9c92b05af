using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Reconciliation;

/// <summary>
/// The fields a reconciler owns on an object it renders: <c>spec</c> (and <c>data</c> of a ConfigMap), the labels and
/// annotations it sets, and its owner references. Other controllers' labels, annotations and fields survive: live
/// objects are compared through <see cref="Project"/>, and written with the JSON merge patch of <see cref="MergePatch"/>.
/// </summary>
public static class OwnedFields
{
    private static readonly string[] OwnedRoots = ["spec", "data"];

    /// <summary>
    /// A copy of <paramref name="live"/> whose labels and annotations are only the keys <paramref name="desired"/> sets,
    /// so that a label another controller added does not make the object look changed.
    /// </summary>
    public static JsonObject Project(JsonObject live, JsonObject desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        var copy = (JsonObject)live.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var map in (string[])["labels", "annotations"])
            {
                var wanted = desired["metadata"]?[map] as JsonObject;
                if (metadata[map] is not JsonObject have)
                {
                    continue;
                }

                foreach (var key in have.Select(p => p.Key).ToList())
                {
                    if (wanted is null || !wanted.ContainsKey(key))
                    {
                        have.Remove(key);
                    }
                }

                if (have.Count == 0)
                {
                    metadata.Remove(map);
                }
            }

            if (desired["metadata"]?["ownerReferences"] is null)
            {
                metadata.Remove("ownerReferences");
            }

            foreach (var key in metadata.Select(p => p.Key).ToList())
            {
                if (key is "finalizers" or "deletionTimestamp")
                {
                    metadata.Remove(key);
                }
            }
        }

        return copy;
    }

    /// <summary>
    /// The RFC 7386 merge patch that takes <paramref name="live"/>'s owned fields to <paramref name="desired"/>'s, with
    /// <c>metadata.resourceVersion</c> set to the live one so the API server refuses it (409) if the object changed
    /// since it was read. Only owned labels and annotations are named; owned roots missing from desired are removed.
    /// </summary>
    public static JsonObject MergePatch(JsonObject live, JsonObject desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        var metadata = new JsonObject { ["resourceVersion"] = live["metadata"]?["resourceVersion"]?.DeepClone() };
        foreach (var map in (string[])["labels", "annotations"])
        {
            if (desired["metadata"]?[map] is JsonObject wanted && Diff(live["metadata"]?[map], wanted) is JsonObject diff)
            {
                metadata[map] = diff;
            }
        }

        if (desired["metadata"]?["ownerReferences"] is JsonArray owners && !JsonNode.DeepEquals(owners, live["metadata"]?["ownerReferences"]))
        {
            metadata["ownerReferences"] = owners.DeepClone();
        }

        var patch = new JsonObject { ["metadata"] = metadata };
        foreach (var root in OwnedRoots)
        {
            var want = desired[root];
            var have = live[root];
            if (want is null)
            {
                if (have is not null)
                {
                    patch[root] = null;
                }
            }
            else if (Diff(have, want) is { } diff)
            {
                if (diff is JsonObject fields && (string?)desired["kind"] == "Service")
                {
                    // The API server defaults clusterIP, type, ipFamilies, …: leave what desired does not name.
                    foreach (var key in fields.Where(p => p.Value is null).Select(p => p.Key).ToList())
                    {
                        fields.Remove(key);
                    }
                }

                if (diff is not JsonObject { Count: 0 })
                {
                    patch[root] = diff;
                }
            }
        }

        return patch;
    }

    /// <summary>The merge patch from <paramref name="have"/> to <paramref name="want"/>; null when equal. Arrays are replaced whole.</summary>
    private static JsonNode? Diff(JsonNode? have, JsonNode want)
    {
        if (want is not JsonObject wantObject || have is not JsonObject haveObject)
        {
            return JsonNode.DeepEquals(have, want) ? null : want.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (key, value) in wantObject)
        {
            if (value is null)
            {
                if (haveObject[key] is not null)
                {
                    patch[key] = null;
                }
            }
            else if (Diff(haveObject[key], value) is { } child)
            {
                patch[key] = child;
            }
            else if (!haveObject.ContainsKey(key))
            {
                patch[key] = value.DeepClone();
            }
        }

        foreach (var (key, _) in haveObject)
        {
            if (!wantObject.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch.Count == 0 ? null : patch;
    }
}
