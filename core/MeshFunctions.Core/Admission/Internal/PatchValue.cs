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
    public abstract void WriteTo(Utf8JsonWriter writer);

    public abstract JsonNode ToNode();

    public static PatchValue Number(long value) => new NumberValue(value);

    private sealed class NumberValue(long value) : PatchValue
    {
        public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNumberValue(value);

        public override JsonNode ToNode() => JsonValue.Create(value);
    }
}

/// <summary>A string (a label or annotation value).</summary>
internal sealed class TextValue(string value) : PatchValue
{
    public string Value { get; } = value;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteStringValue(Value);

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

    public override void WriteTo(Utf8JsonWriter writer)
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
    public override void WriteTo(Utf8JsonWriter writer)
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
    public static ExecHookValue PilotAgentWait { get; } = new("pilot-agent", "wait");

    public override void WriteTo(Utf8JsonWriter writer)
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
    public override void WriteTo(Utf8JsonWriter writer)
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
