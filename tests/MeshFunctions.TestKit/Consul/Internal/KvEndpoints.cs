using System.Globalization;
using System.Text;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary><c>/v1/kv/*</c>: GET (plain, <c>recurse</c>, <c>keys</c>+<c>separator</c>, <c>raw</c>), PUT, DELETE.</summary>
internal static class KvEndpoints
{
    /// <summary>Consul's default <c>kv_max_value_size</c>.</summary>
    public const int MaxValueSize = 512 * 1024;

    public static ConsulAnswer Get(ConsulState state, string key, ConsulQuery query)
    {
        if (query.Has("keys"))
        {
            var (keys, keysIndex) = state.ListKeys(key, query.Get("separator"));
            return keys.Count == 0
                ? NotFound(keysIndex)
                : new ConsulAnswer(200, JsonBytes.Write(w =>
                {
                    w.WriteStartArray();
                    keys.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                }), ConsulAnswer.Json, keysIndex);
        }

        if (query.Has("recurse"))
        {
            var (entries, listIndex) = state.ListKv(key);
            return entries.Count == 0 ? NotFound(listIndex) : Entries(entries, listIndex);
        }

        var (entry, index) = state.GetKv(key);
        if (entry is null)
        {
            return NotFound(index);
        }

        if (query.Has("raw"))
        {
            var body = entry.Value ?? [];
            return new ConsulAnswer(200, body, LooksLikeText(body) ? ConsulAnswer.Text : "application/octet-stream", index);
        }

        return Entries([entry], index);
    }

    public static ConsulAnswer Put(ConsulState state, string key, ConsulQuery query, byte[] body)
    {
        if (key.Length == 0)
        {
            return ConsulAnswer.Error(400, "Missing key name");
        }

        if (!TryParseUlong(query.Get("flags"), out var flags))
        {
            return ConsulAnswer.Error(400, "Invalid flags");
        }

        if (!TryParseUlong(query.Get("cas"), out var cas))
        {
            return ConsulAnswer.Error(400, "Invalid cas index");
        }

        var ok = state.PutKv(key, body, flags, query.Has("cas") ? cas : null, query.Get("acquire"), query.Get("release"));
        return Bool(ok);
    }

    public static ConsulAnswer Delete(ConsulState state, string key, ConsulQuery query)
    {
        var recurse = query.Has("recurse");
        if (key.Length == 0 && !recurse)
        {
            return ConsulAnswer.Error(400, "Missing key name");
        }

        if (!TryParseUlong(query.Get("cas"), out var cas))
        {
            return ConsulAnswer.Error(400, "Invalid cas index");
        }

        return Bool(state.DeleteKv(key, recurse, query.Has("cas") ? cas : null));
    }

    /// <summary>A miss is 404 with an empty body but still with the index headers (setMeta runs first).</summary>
    private static ConsulAnswer NotFound(ulong index) => new(404, null, null, index);

    private static ConsulAnswer Entries(IEnumerable<KvEntry> entries, ulong index) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartArray();
            foreach (var entry in entries)
            {
                ConsulJson.WriteKv(w, entry);
            }

            w.WriteEndArray();
        }), ConsulAnswer.Json, index);

    private static ConsulAnswer Bool(bool value) => new(200, Encoding.ASCII.GetBytes(value ? "true" : "false"), ConsulAnswer.Json, null);

    private static bool TryParseUlong(string? text, out ulong value)
    {
        value = 0;
        return text is null || ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Go's net/http sniffs raw bodies; text comes out as text/plain, the rest as octet-stream.</summary>
    private static bool LooksLikeText(byte[] body)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(body);
            return !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
