using System.Text;
using System.Text.Json;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Duplicate member names while a review is read token by token: the names of every open object, compared as unescaped
/// UTF-8 with the names before them in the same object (a set per object once it has many members, so a huge object
/// costs linear time). One instance per thread, reused. The open objects are a stack of plain ints (no per-object
/// allocation or reference store); a set exists only for an object past <see cref="LinearLimit"/> members.
/// </summary>
internal sealed class MemberNames
{
    private const int LinearLimit = 24;

    [ThreadStatic]
    private static MemberNames? _cached;

    private int[] _starts = new int[32];
    private HashSet<string>?[] _sets = new HashSet<string>?[32];
    private int _depth;
    private Name[] _names = new Name[64];
    private byte[] _unescaped = new byte[256];
    private int _nameCount;
    private int _unescapedLength;

    /// <summary>The thread's instance, emptied.</summary>
    public static MemberNames Rent()
    {
        var names = _cached is { } cached && cached._names.Length <= 4096 && cached._unescaped.Length <= 64 * 1024 && cached._starts.Length <= 1024
            ? cached
            : _cached = new MemberNames();
        if (names._depth > 0)
        {
            // A read that failed part-way left objects open (and maybe sets).
            Array.Clear(names._sets, 0, names._depth);
        }

        names._depth = 0;
        names._nameCount = 0;
        names._unescapedLength = 0;
        return names;
    }

    /// <summary>An object starts.</summary>
    public void Open()
    {
        if (_depth == _starts.Length)
        {
            Array.Resize(ref _starts, _depth * 2);
            Array.Resize(ref _sets, _depth * 2);
        }

        _starts[_depth++] = _nameCount;
    }

    /// <summary>The current object ends.</summary>
    public void Close()
    {
        _depth--;
        _nameCount = _starts[_depth];
        if (_sets[_depth] is not null)
        {
            _sets[_depth] = null;
        }
    }

    /// <summary>Records the property name <paramref name="reader"/> is on; throws <see cref="JsonException"/> when the object already has it.</summary>
    public void Add(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        Name entry;
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            EnsureUnescaped(length);
            var written = reader.CopyString(_unescaped.AsSpan(_unescapedLength));
            entry = new Name(_unescapedLength, written, true);
            _unescapedLength += written;
        }
        else
        {
            entry = new Name(checked((int)reader.TokenStartIndex) + 1, reader.ValueSpan.Length, false);
        }

        var name = Span(entry, body);
        var top = _depth - 1;
        var start = _starts[top];
        if (_sets[top] is { } set)
        {
            if (!set.Add(Encoding.UTF8.GetString(name)))
            {
                throw Duplicate(name);
            }
        }
        else
        {
            for (var i = start; i < _nameCount; i++)
            {
                // Lengths first: most names of an object differ in length, and comparing two ints is cheaper than a slice.
                if (_names[i].Length == entry.Length && Span(_names[i], body).SequenceEqual(name))
                {
                    throw Duplicate(name);
                }
            }

            if (_nameCount - start + 1 > LinearLimit)
            {
                var created = new HashSet<string>(StringComparer.Ordinal);
                for (var i = start; i < _nameCount; i++)
                {
                    created.Add(Encoding.UTF8.GetString(Span(_names[i], body)));
                }

                created.Add(Encoding.UTF8.GetString(name));
                _sets[top] = created;
            }
        }

        if (_nameCount == _names.Length)
        {
            Array.Resize(ref _names, _names.Length * 2);
        }

        _names[_nameCount++] = entry;
    }

    private ReadOnlySpan<byte> Span(Name name, ReadOnlySpan<byte> body) =>
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

    /// <summary>A recorded name: where its UTF-8 bytes are (in the body, or unescaped into the scratch buffer).</summary>
    private readonly record struct Name(int Offset, int Length, bool Unescaped);
}
