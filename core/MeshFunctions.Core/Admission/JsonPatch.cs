using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// A small RFC 6902 JSON Patch implementation: apply a patch, serialise it, and build JSON Pointers.
/// Used to prove that the patches the admission webhooks return really turn the input into the
/// mutated object, and by <c>meshctl inject</c>.
/// </summary>
public static class JsonPatch
{
    /// <summary>Escapes one reference token for a JSON Pointer (RFC 6901 §3: <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    public static string Escape(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Undoes <see cref="Escape"/>.</summary>
    public static string Unescape(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    /// <summary>Joins a parent pointer and an unescaped token.</summary>
    public static string Pointer(string parent, string token) => parent + "/" + Escape(token);

    /// <summary>Joins a parent pointer and an array index.</summary>
    public static string Pointer(string parent, int index) => parent + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The patch as the compact JSON array the API server expects (before base64).</summary>
    public static string Serialize(IEnumerable<JsonPatchOperation> patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer, patch);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the patch as a JSON array of operations (the wire form of <see cref="JsonPatchOperation.ToJson"/>) without copying values.</summary>
    public static void WriteTo(Utf8JsonWriter writer, IEnumerable<JsonPatchOperation> patch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(patch);
        writer.WriteStartArray();
        foreach (var op in patch)
        {
            op.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>The patch as base64 of its JSON, the form of <c>AdmissionResponse.patch</c>.</summary>
    public static string ToBase64(IEnumerable<JsonPatchOperation> patch) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Serialize(patch)));

    /// <summary>Reads a patch document (a JSON array of operations).</summary>
    /// <exception cref="JsonPatchException">The text is not a valid patch document.</exception>
    public static IReadOnlyList<JsonPatchOperation> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new JsonPatchException("invalid JSON: " + ex.Message);
        }

        if (root is not JsonArray array)
        {
            throw new JsonPatchException("a JSON Patch must be a JSON array of operations");
        }

        var ops = new List<JsonPatchOperation>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o || o["op"] is not JsonValue opValue || !opValue.TryGetValue<string>(out var op)
                || o["path"] is not JsonValue pathValue || !pathValue.TryGetValue<string>(out var path))
            {
                throw new JsonPatchException($"[{i}]: each operation needs string 'op' and 'path' members");
            }

            if (op is "add" or "replace" or "test" && !o.ContainsKey("value"))
            {
                throw new JsonPatchException($"[{i}]: '{op}' needs a 'value' member");
            }

            var from = (o["from"] as JsonValue)?.GetValue<string>();
            if (op is "move" or "copy" && from is null)
            {
                throw new JsonPatchException($"[{i}]: '{op}' needs a 'from' member");
            }

            ops.Add(new JsonPatchOperation(op, path, o["value"]?.DeepClone(), from));
        }

        return ops;
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="document"/> and returns the copy.
    /// The input is never modified; a failing operation throws and nothing is returned (RFC 6902 §5: all or nothing).
    /// </summary>
    /// <exception cref="JsonPatchException">An operation cannot be applied (names the operation and path).</exception>
    public static JsonNode? Apply(JsonNode? document, IEnumerable<JsonPatchOperation> patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var doc = document?.DeepClone();
        var i = 0;
        foreach (var op in patch)
        {
            try
            {
                doc = Internal.JsonPatchApplier.ApplyOne(doc, op);
            }
            catch (JsonPatchException ex)
            {
                throw new JsonPatchException($"[{i}] {op.Op} {op.Path}: {ex.Message}");
            }

            i++;
        }

        return doc;
    }
}
