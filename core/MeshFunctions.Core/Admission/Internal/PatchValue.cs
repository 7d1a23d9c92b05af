using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// A value the mutator writes into a patch: written straight to a <see cref="Utf8JsonWriter"/> when the webhook answers,
/// turned into a <see cref="JsonNode"/> only when someone reads <see cref="JsonPatchOperation.Value"/> (meshctl applying
/// the patch to its tree). Cheaper than a node tree per request: no node, no dictionary, no converter lookup.
/// </summary>
internal abstract class PatchValue
{
    // The value's JSON, made once for a value every request shares (see Shared): then written with one raw copy.
    private byte[]? _json;

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_json is { } json)
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            Write(writer);
        }
    }

    public abstract JsonNode ToNode();

    public static PatchValue Number(long value) => new NumberValue(value);

    /// <summary>
    /// Marks <paramref name="value"/> as shared by every request and makes its JSON once, with the default writer options
    /// (the bytes <c>JsonPatch.Serialize</c> writes for it). Only for values that never change: not for
    /// <see cref="ObjectValue"/> or <see cref="ArrayValue"/>, which the rules fill.
    /// </summary>
    public static T Shared<T>(T value)
        where T : PatchValue
    {
        if (value is ObjectValue or ArrayValue)
        {
            throw new ArgumentException("an object or array value is filled by the rules and cannot be shared", nameof(value));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.Write(writer);
        }

        value._json = buffer.WrittenSpan.ToArray();
        return value;
    }

    protected abstract void Write(Utf8JsonWriter writer);

    private sealed class NumberValue(long value) : PatchValue
    {
        protected override void Write(Utf8JsonWriter writer) => writer.WriteNumberValue(value);

        public override JsonNode ToNode() => JsonValue.Create(value);
    }
}

/// <summary>A string (a label or annotation value).</summary>
internal sealed class TextValue(string value) : PatchValue
{
    public string Value { get; } = value;

    protected override void Write(Utf8JsonWriter writer) => writer.WriteStringValue(Value);

    public override JsonNode ToNode() => JsonValue.Create(Value);
}

/// <summary>An object the mutator creates (a map, a container, a lifecycle): later writes go into it, in order.</summary>
internal sealed class ObjectValue : PatchValue
{
    private readonly List<KeyValuePair<string, PatchValue>> _members = new(2);

    /// <summary>The member <paramref name="key"/>, or null.</summary>
    public PatchValue? this[string key]
    {
        get => IndexOf(key) is var i and >= 0 ? _members[i].Value : null;
        set
        {
            var i = IndexOf(key);
            if (value is null)
            {
                if (i >= 0)
                {
                    _members.RemoveAt(i);
                }
            }
            else if (i >= 0)
            {
                _members[i] = new(key, value);
            }
            else
            {
                _members.Add(new(key, value));
            }
        }
    }

    protected override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in _members)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    public override JsonNode ToNode()
    {
        var node = new JsonObject();
        foreach (var (key, value) in _members)
        {
            node[key] = value.ToNode();
        }

        return node;
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < _members.Count; i++)
        {
            if (_members[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>An array of values (a container list the mutator creates).</summary>
internal sealed class ArrayValue(params PatchValue[] items) : PatchValue
{
    protected override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    public override JsonNode ToNode() => new JsonArray(items.Select(i => (JsonNode?)i.ToNode()).ToArray());
}

/// <summary>An <c>exec</c> hook running <paramref name="command"/> (Istio's <c>pilot-agent wait</c>, <c>sleep N</c>).</summary>
internal sealed class ExecHookValue(params string[] command) : PatchValue
{
    /// <summary>The proxy postStart Istio renders with <c>holdApplicationUntilProxyStarts</c>.</summary>
    public static ExecHookValue PilotAgentWait { get; } = Shared(new ExecHookValue("pilot-agent", "wait"));

    protected override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("exec"u8);
        writer.WriteStartArray("command"u8);
        foreach (var arg in command)
        {
            writer.WriteStringValue(arg);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public override JsonNode ToNode() =>
        new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray(command.Select(a => (JsonNode?)a).ToArray()) } };
}

/// <summary>The Kubernetes <c>sleep</c> action hook (<c>sleep.seconds</c>).</summary>
internal sealed class SleepActionValue(int seconds) : PatchValue
{
    protected override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("sleep"u8);
        writer.WriteNumber("seconds"u8, seconds);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public override JsonNode ToNode() => new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = seconds } };

    /// <summary>The preStop for a proxy sleeping <paramref name="seconds"/>: the sleep action, or <c>exec: [sleep, N]</c>.</summary>
    public static PatchValue Hook(int seconds, bool useSleepAction) =>
        useSleepAction ? new SleepActionValue(seconds) : new ExecHookValue("sleep", seconds.ToString(CultureInfo.InvariantCulture));
}
