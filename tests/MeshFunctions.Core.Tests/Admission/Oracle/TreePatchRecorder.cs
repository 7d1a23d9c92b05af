using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>
/// Every write the mutator makes, done on the tree and recorded at once as the RFC 6902 operation that makes it, so that
/// the patch comes from the decisions themselves (no copy of the input, no diff of two trees). A node the mutator created
/// is written whole by the operation that added it: later writes into it add no operation of their own. Operation values
/// are the written nodes themselves (serialised when the patch is written; <see cref="JsonPatch.Apply"/> copies them).
/// </summary>
internal sealed class TreePatchRecorder
{
    private readonly List<JsonPatchOperation> _operations = [];
    private HashSet<JsonNode>? _created;

    public IReadOnlyList<JsonPatchOperation> Operations => _operations;

    /// <summary>Sets <paramref name="parent"/>[<paramref name="key"/>] (at <paramref name="parentPointer"/>): <c>add</c>, or <c>replace</c> when the member exists.</summary>
    public void Set(JsonObject parent, string parentPointer, string key, JsonNode? value)
    {
        var existed = parent.ContainsKey(key);
        parent[key] = value;
        if (value is JsonObject or JsonArray)
        {
            (_created ??= new HashSet<JsonNode>(ReferenceEqualityComparer.Instance)).Add(value);
        }

        if (!IsCreated(parent))
        {
            _operations.Add(existed ? JsonPatchOperation.Replace(JsonPatch.Pointer(parentPointer, key), value) : JsonPatchOperation.Add(JsonPatch.Pointer(parentPointer, key), value));
        }
    }

    /// <summary>The child object <paramref name="key"/>, added when missing (or not an object).</summary>
    public JsonObject Ensure(JsonObject parent, string parentPointer, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        Set(parent, parentPointer, key, created);
        return created;
    }

    /// <summary>Appends <paramref name="item"/> to the array <paramref name="key"/> of <paramref name="parent"/>, adding the array when missing.</summary>
    public void Append(JsonObject parent, string parentPointer, string key, JsonObject item)
    {
        if (parent[key] is not JsonArray array)
        {
            array = [];
            Set(parent, parentPointer, key, array);
        }

        (_created ??= new HashSet<JsonNode>(ReferenceEqualityComparer.Instance)).Add(item);
        var index = array.Count;
        array.Add(item);
        if (!IsCreated(array))
        {
            _operations.Add(JsonPatchOperation.Add(JsonPatch.Pointer(JsonPatch.Pointer(parentPointer, key), index), item));
        }
    }

    /// <summary>Removes <paramref name="parent"/>[<paramref name="key"/>] when present.</summary>
    public void Remove(JsonObject parent, string parentPointer, string key)
    {
        if (parent.Remove(key) && !IsCreated(parent))
        {
            _operations.Add(JsonPatchOperation.Remove(JsonPatch.Pointer(parentPointer, key)));
        }
    }

    /// <summary>Sets <c>metadata.&lt;map&gt;[key]</c> on <paramref name="holder"/> (at <paramref name="holderPointer"/>) unless it already has that value.</summary>
    public void SetMetadataEntry(JsonObject holder, string holderPointer, string map, string key, string value)
    {
        var metaPointer = holderPointer + "/metadata";
        var entries = Ensure(Ensure(holder, holderPointer, "metadata"), metaPointer, map);
        if (entries[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == value)
        {
            return;
        }

        Set(entries, metaPointer + "/" + map, key, value);
    }

    /// <summary>Removes <c>metadata.&lt;map&gt;[key]</c> of <paramref name="holder"/> when present.</summary>
    public void RemoveMetadataEntry(JsonObject holder, string holderPointer, string map, string key)
    {
        if (holder["metadata"] is JsonObject meta && meta[map] is JsonObject entries)
        {
            Remove(entries, holderPointer + "/metadata/" + map, key);
        }
    }

    private bool IsCreated(JsonNode node) => _created is not null && _created.Contains(node);
}
