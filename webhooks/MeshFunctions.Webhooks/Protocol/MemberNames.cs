using System.Text;
using System.Text.Json;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Duplicate member names while a review is read token by token: the names of every open object, compared as unescaped
/// UTF-8 with the names before them in the same object (a set per object once it has many members, so a huge object
/// costs linear time). One instance per thread, reused.
/// </summary>
internal sealed class MemberNames
{
    private const int LinearLimit = 24;

    [ThreadStatic]
    private static MemberNames? _cached;

    private readonly List<Frame> _frames = [];
    private (int Offset, int Length, bool Unescaped)[] _names = new (int, int, bool)[64];
    private byte[] _unescaped = new byte[256];
    private int _nameCount;
    private int _unescapedLength;

    /// <summary>The thread's instance, emptied.</summary>
    public static MemberNames Rent()
    {
        var names = _cached is { } cached && cached._names.Length <= 4096 && cached._unescaped.Length <= 64 * 1024 ? cached : _cached = new MemberNames();
        names._frames.Clear();
        names._nameCount = 0;
        names._unescapedLength = 0;
        return names;
    }

    /// <summary>An object starts.</summary>
    public void Open() => _frames.Add(new Frame(_nameCount, null));

    /// <summary>The current object ends.</summary>
    public void Close()
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        _nameCount = frame.Start;
    }

    /// <summary>Records the property name <paramref name="reader"/> is on; throws <see cref="JsonException"/> when the object already has it.</summary>
    public void Add(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var frame = _frames[^1];
        (int Offset, int Length, bool Unescaped) entry;
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            EnsureUnescaped(length);
            var written = reader.CopyString(_unescaped.AsSpan(_unescapedLength));
            entry = (_unescapedLength, written, true);
            _unescapedLength += written;
        }
        else
        {
            entry = (checked((int)reader.TokenStartIndex) + 1, reader.ValueSpan.Length, false);
        }

        var name = Span(entry, body);
        var count = _nameCount - frame.Start;
        if (frame.Set is { } set)
        {
            if (!set.Add(Encoding.UTF8.GetString(name)))
            {
                throw Duplicate(name);
            }
        }
        else
        {
            for (var i = frame.Start; i < _nameCount; i++)
            {
                // Lengths first: most names of an object differ in length, and comparing two ints is cheaper than a slice.
                if (_names[i].Length == name.Length && Span(_names[i], body).SequenceEqual(name))
                {
                    throw Duplicate(name);
                }
            }

            if (count + 1 > LinearLimit)
            {
                var created = new HashSet<string>(StringComparer.Ordinal);
                for (var i = frame.Start; i < _nameCount; i++)
                {
                    created.Add(Encoding.UTF8.GetString(Span(_names[i], body)));
                }

                created.Add(Encoding.UTF8.GetString(name));
                _frames[^1] = frame with { Set = created };
            }
        }

        if (_nameCount == _names.Length)
        {
            Array.Resize(ref _names, _names.Length * 2);
        }

        _names[_nameCount++] = entry;
    }

    private ReadOnlySpan<byte> Span((int Offset, int Length, bool Unescaped) name, ReadOnlySpan<byte> body) =>
        name.Unescaped ? _unescaped.AsSpan(name.Offset, name.Length) : body.Slice(name.Offset, name.Length);

    private void EnsureUnescaped(int length)
    {
        if (_unescapedLength + length > _unescaped.Length)
        {
            Array.Resize(ref _unescaped, Math.Max(_unescaped.Length * 2, _unescapedLength + length));
        }
    }

    private static JsonException Duplicate(ReadOnlySpan<byte> name)
    {
        var text = Encoding.UTF8.GetString(name);
        return new JsonException($"duplicate member name '{(text.Length > 80 ? text[..80] + "..." : text)}' (which of the values counts is undefined)");
    }

    private readonly record struct Frame(int Start, HashSet<string>? Set);
}
