using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// One RFC 6902 operation. <see cref="Path"/> and <see cref="From"/> are RFC 6901 JSON Pointers
/// (<c>/metadata/labels/sidecar.istio.io~1inject</c>: <c>~</c> is written <c>~0</c>, <c>/</c> is written <c>~1</c>).
/// </summary>
/// <param name="Op">add, remove, replace, move, copy or test.</param>
/// <param name="Path">Target location.</param>
/// <param name="Value">The value for add, replace and test; null otherwise.</param>
/// <param name="From">The source location for move and copy; null otherwise.</param>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value = null, string? From = null)
{
    // A value the mutator decided, written straight to the writer; a node is made from it only when Value is read.
    private readonly Internal.PatchValue? _decided;

    internal JsonPatchOperation(string op, string path, Internal.PatchValue value)
        : this(op, path)
    {
        _decided = value;
    }

    /// <summary>The value for add, replace and test; null otherwise (a new node each read for an operation the mutator decided).</summary>
    public JsonNode? Value
    {
        get => _decided?.ToNode() ?? _value;
        init
        {
            _value = value;
            _decided = null;
        }
    }

    private readonly JsonNode? _value = Value;

    /// <summary>An <c>add</c> operation (creates or overwrites an object member; inserts into an array).</summary>
    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    /// <summary>A <c>replace</c> operation (the target must exist).</summary>
    public static JsonPatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);

    /// <summary>A <c>remove</c> operation (the target must exist).</summary>
    public static JsonPatchOperation Remove(string path) => new("remove", path);

    /// <summary>The operation as a JSON object in the wire form (<c>{"op":…,"path":…,"value":…}</c>).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["op"] = Op, ["path"] = Path };
        if (From is not null)
        {
            o["from"] = From;
        }

        if (Op is "add" or "replace" or "test")
        {
            o["value"] = Value?.DeepClone();
        }

        return o;
    }

    /// <summary>Writes the operation in the wire form of <see cref="ToJson"/>, straight from <see cref="Value"/> (no copy).</summary>
    public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        switch (Op)
        {
            case "add":
                writer.WriteString("op"u8, "add"u8);
                break;
            case "replace":
                writer.WriteString("op"u8, "replace"u8);
                break;
            case "remove":
                writer.WriteString("op"u8, "remove"u8);
                break;
            default:
                writer.WriteString("op"u8, Op);
                break;
        }

        writer.WriteString("path"u8, Path);
        if (From is not null)
        {
            writer.WriteString("from"u8, From);
        }

        if (Op is "add" or "replace" or "test")
        {
            writer.WritePropertyName("value"u8);
            if (_decided is not null)
            {
                _decided.WriteTo(writer);
            }
            else if (_value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                _value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
