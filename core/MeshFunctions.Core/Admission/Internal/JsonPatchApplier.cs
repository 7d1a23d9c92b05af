using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>The operations of RFC 6902 §4 on a mutable <see cref="JsonNode"/> tree.</summary>
internal static class JsonPatchApplier
{
    public static JsonNode? ApplyOne(JsonNode? doc, JsonPatchOperation op)
    {
        switch (op.Op)
        {
            case "add":
                return Add(doc, op.Path, op.Value?.DeepClone());
            case "remove":
                Remove(doc, op.Path, out _);
                return doc;
            case "replace":
                if (op.Path.Length == 0)
                {
                    return op.Value?.DeepClone();
                }

                Replace(doc, op.Path, op.Value?.DeepClone());
                return doc;
            case "move":
            {
                var from = op.From!;
                if (op.Path.StartsWith(from + "/", StringComparison.Ordinal))
                {
                    throw new JsonPatchException($"cannot move '{from}' into its own child");
                }

                if (from == op.Path)
                {
                    return doc;
                }

                Remove(doc, from, out var moved);
                return Add(doc, op.Path, moved);
            }

            case "copy":
                return Add(doc, op.Path, Get(doc, op.From!)?.DeepClone());
            case "test":
                if (!JsonNode.DeepEquals(Get(doc, op.Path), op.Value))
                {
                    throw new JsonPatchException("test failed: the value differs");
                }

                return doc;
            default:
                throw new JsonPatchException($"unknown op '{op.Op}' (expected add, remove, replace, move, copy or test)");
        }
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, token) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a:
                var index = token == "-" ? a.Count : Index(token, a.Count, allowEnd: true);
                a.Insert(index, value);
                break;
            default:
                throw new JsonPatchException("the parent is not an object or array");
        }

        return doc;
    }

    private static void Replace(JsonNode? doc, string path, JsonNode? value)
    {
        // In place, so that a replaced member keeps its position (patches stay readable and diffs stay minimal).
        var (parent, token) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                o[token] = value;
                break;
            case JsonObject:
                throw new JsonPatchException($"member '{token}' does not exist");
            case JsonArray a:
                a[Index(token, a.Count, allowEnd: false)] = value;
                break;
            default:
                throw new JsonPatchException("the parent is not an object or array");
        }
    }

    private static void Remove(JsonNode? doc, string path, out JsonNode? removed)
    {
        if (path.Length == 0)
        {
            throw new JsonPatchException("cannot remove the whole document");
        }

        var (parent, token) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject o:
                if (!o.TryGetPropertyValue(token, out removed))
                {
                    throw new JsonPatchException($"member '{token}' does not exist");
                }

                o.Remove(token);
                break;
            case JsonArray a:
                var index = Index(token, a.Count, allowEnd: false);
                removed = a[index];
                a.RemoveAt(index);
                break;
            default:
                throw new JsonPatchException("the parent is not an object or array");
        }
    }

    private static JsonNode? Get(JsonNode? doc, string path)
    {
        var node = doc;
        foreach (var token in Tokens(path))
        {
            node = Child(node, token);
        }

        return node;
    }

    private static (JsonNode Parent, string Token) Parent(JsonNode? doc, string path)
    {
        var tokens = Tokens(path);
        var node = doc;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            node = Child(node, tokens[i]);
        }

        return node is null ? throw new JsonPatchException("the parent does not exist") : (node, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var child) ? child : throw new JsonPatchException($"member '{token}' does not exist"),
        JsonArray a => a[Index(token, a.Count, allowEnd: false)],
        _ => throw new JsonPatchException($"cannot step into '{token}': not an object or array"),
    };

    private static int Index(string token, int count, bool allowEnd)
    {
        // RFC 6901: decimal digits, no leading zeros, no sign.
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit)
            || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new JsonPatchException($"'{token}' is not an array index");
        }

        if (index > count || (index == count && !allowEnd))
        {
            throw new JsonPatchException($"index {index} is out of range (array length {count})");
        }

        return index;
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new JsonPatchException($"'{path}' is not a JSON Pointer (must start with '/')");
        }

        return path[1..].Split('/').Select(JsonPatch.Unescape).ToList();
    }
}
