using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over <see cref="JsonNode"/> trees.</summary>
internal static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to a copy of <paramref name="document"/>.</summary>
    /// <exception cref="PatchException">An operation is malformed or does not apply.</exception>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        var root = document?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw new PatchException($"operation {i} is not an object");
            }

            var name = Text(op, "op", i);
            var path = Pointer(Text(op, "path", i), i);
            root = name switch
            {
                "add" => Add(root, path, Value(op, i)),
                "remove" => RemoveAt(root, path, out _),
                "replace" => Add(RemoveAt(root, path, out _), path, Value(op, i)),
                "move" => Move(root, Pointer(Text(op, "from", i), i), path),
                "copy" => Add(root, path, Get(root, Pointer(Text(op, "from", i), i))?.DeepClone()),
                "test" => Test(root, path, Value(op, i)),
                _ => throw new PatchException($"operation {i}: unknown op '{name}'"),
            };
        }

        return root;
    }

    private static JsonNode? Move(JsonNode? root, string[] from, string[] path)
    {
        if (path.Length > from.Length && path.AsSpan(0, from.Length).SequenceEqual(from))
        {
            throw new PatchException($"cannot move '/{string.Join('/', from)}' into one of its children");
        }

        root = RemoveAt(root, from, out var moved);
        return Add(root, path, moved);
    }

    private static JsonNode? Test(JsonNode? root, string[] path, JsonNode? expected)
    {
        if (!JsonNode.DeepEquals(Get(root, path), expected))
        {
            throw new PatchException($"testing value /{string.Join('/', path)} failed: test failed");
        }

        return root;
    }

    private static JsonNode? Add(JsonNode? root, string[] path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var parent = Get(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(Index(array, last, array.Count), value);
                break;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: /{string.Join('/', path)}");
        }

        return root;
    }

    private static JsonNode? RemoveAt(JsonNode? root, string[] path, out JsonNode? removed)
    {
        if (path.Length == 0)
        {
            removed = root;
            return null;
        }

        var parent = Get(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out var node):
                removed = node?.DeepClone();
                obj.Remove(last);
                break;
            case JsonArray array:
                var index = Index(array, last, array.Count - 1);
                removed = array[index]?.DeepClone();
                array.RemoveAt(index);
                break;
            default:
                throw new PatchException($"doc is missing path: /{string.Join('/', path)}");
        }

        return root;
    }

    private static JsonNode? Get(JsonNode? root, string[] path)
    {
        var node = root;
        foreach (var token in path)
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array => array[Index(array, token, array.Count - 1)],
                _ => throw new PatchException($"doc is missing path: /{string.Join('/', path)}"),
            };
        }

        return node;
    }

    private static int Index(JsonArray array, string token, int max)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0')
            || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > max)
        {
            throw new PatchException($"invalid array index '{token}' (array has {array.Count} items)");
        }

        return index;
    }

    private static string Text(JsonObject op, string member, int i) =>
        op[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new PatchException($"operation {i}: missing string '{member}'");

    private static JsonNode? Value(JsonObject op, int i) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new PatchException($"operation {i}: missing 'value'");

    private static string[] Pointer(string pointer, int i)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"operation {i}: path '{pointer}' must start with '/'");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }
}
