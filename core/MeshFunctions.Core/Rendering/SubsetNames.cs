using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MeshFunctions.Core.Rendering;

/// <summary>
/// Maps version label values (<c>[A-Za-z0-9._-]</c>, alphanumeric at both ends) to DestinationRule subset names,
/// which Istio requires to be DNS-1123 labels (it rejects <c>v1.0.2</c>).
/// </summary>
/// <remarks>
/// <para>
/// The common case stays readable: a version of lower-case letters and digits separated by single dots maps to the
/// same text with dots turned into dashes (<c>v1.0.2</c> → <c>v1-0-2</c>). Such names never contain <c>--</c>.
/// </para>
/// <para>
/// Every other version is written as <c>&lt;base&gt;--&lt;mask&gt;</c>: <c>base</c> is the version lower-cased with
/// every <c>.</c>, <c>-</c> and <c>_</c> turned into <c>-</c>; <c>mask</c> lists, in position order, the characters
/// the base lost, three characters each: a kind (<c>c</c> capital letter, <c>h</c> hyphen, <c>u</c> underscore) and
/// the zero-based position as two base-36 digits. A mask of <c>z</c> means "nothing lost" and is used only when the
/// base alone would be ambiguous (it contains <c>--</c>, or it is <c>default</c>). Examples: <c>V2</c> →
/// <c>v2--c00</c>, <c>release-1</c> → <c>release-1--h07</c>, <c>default</c> → <c>default--z</c>.
/// </para>
/// <para>
/// The mapping is injective and reversible (<see cref="TryDecode"/> accepts only canonical names), never yields
/// <see cref="Default"/>, and depends on nothing but the version, so names are stable across renders. A long version
/// with many upper-case letters, dashes or underscores can encode to more than 63 characters; Router validation
/// rejects those (<see cref="IsValidSubsetName"/>).
/// </para>
/// </remarks>
public static class SubsetNames
{
    /// <summary>The subset every branch DestinationRule has: all pods of the branch, whatever their version.</summary>
    public const string Default = "default";

    private const string NothingLost = "z";
    private const string Digits36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The subset name for <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentException">The version is not a non-empty label value.</exception>
    public static string Encode(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return TryEncodeCore(version, out var name, out var error)
            ? name
            : throw new ArgumentException($"'{version}' cannot be a version: {error}", nameof(version));
    }

    /// <summary>True when the encoded name of <paramref name="version"/> fits a DNS-1123 label (at most 63 characters).</summary>
    public static bool IsValidSubsetName(string version) =>
        TryEncodeCore(version, out var name, out _) && name.Length <= Resources.Names.MaxLabelLength;

    /// <summary>The version a subset name stands for; false for <see cref="Default"/> and for names <see cref="Encode"/> never yields.</summary>
    public static bool TryDecode(string name, [NotNullWhen(true)] out string? version)
    {
        version = null;
        if (string.IsNullOrEmpty(name) || name == Default)
        {
            return false;
        }

        var split = name.LastIndexOf("--", StringComparison.Ordinal);
        var baseLength = split < 0 ? name.Length : split;
        var chars = new char[baseLength];
        for (var i = 0; i < baseLength; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }

            chars[i] = c == '-' ? '.' : c;
        }

        if (split >= 0 && !ApplyMask(chars, name.AsSpan(split + 2)))
        {
            return false;
        }

        var candidate = new string(chars);

        // Only canonical names decode, so that decoding is as injective as encoding.
        if (!TryEncodeCore(candidate, out var again, out _) || again != name)
        {
            return false;
        }

        version = candidate;
        return true;
    }

    /// <summary>The version a subset name stands for.</summary>
    /// <exception cref="FormatException">The name is <see cref="Default"/> or not produced by <see cref="Encode"/>.</exception>
    public static string Decode(string name) =>
        TryDecode(name, out var version) ? version : throw new FormatException($"'{name}' is not an encoded version subset name");

    private static bool TryEncodeCore(string version, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (version.Length == 0)
        {
            error = "it is empty";
            return false;
        }

        if (!char.IsAsciiLetterOrDigit(version[0]) || !char.IsAsciiLetterOrDigit(version[^1]))
        {
            error = "it must start and end with a letter or digit";
            return false;
        }

        var sb = new StringBuilder(version.Length + 8);
        StringBuilder? mask = null;
        var doubleDash = false;
        for (var i = 0; i < version.Length; i++)
        {
            var c = version[i];
            char lost;
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                sb.Append(c);
                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                sb.Append(char.ToLowerInvariant(c));
                lost = 'c';
            }
            else if (c is '.' or '-' or '_')
            {
                doubleDash |= sb[^1] == '-';
                sb.Append('-');
                if (c == '.')
                {
                    continue;
                }

                lost = c == '-' ? 'h' : 'u';
            }
            else
            {
                error = $"character '{c}' is not allowed (letters, digits, '.', '-' and '_' only)";
                return false;
            }

            if (i >= Digits36.Length * Digits36.Length)
            {
                error = "it is too long";
                return false;
            }

            mask ??= new StringBuilder();
            mask.Append(lost).Append(Digits36[i / Digits36.Length]).Append(Digits36[i % Digits36.Length]);
        }

        if (mask is not null || doubleDash || (sb.Length == Default.Length && sb.Equals(Default)))
        {
            sb.Append("--").Append(mask?.ToString() ?? NothingLost);
        }

        name = sb.ToString();
        error = null;
        return true;
    }

    private static bool ApplyMask(char[] chars, ReadOnlySpan<char> mask)
    {
        if (mask.SequenceEqual(NothingLost))
        {
            return true;
        }

        if (mask.Length == 0 || mask.Length % 3 != 0)
        {
            return false;
        }

        for (var m = 0; m < mask.Length; m += 3)
        {
            var hi = Digits36.IndexOf(mask[m + 1], StringComparison.Ordinal);
            var lo = Digits36.IndexOf(mask[m + 2], StringComparison.Ordinal);
            if (hi < 0 || lo < 0)
            {
                return false;
            }

            var index = (hi * Digits36.Length) + lo;
            if (index >= chars.Length)
            {
                return false;
            }

            var c = chars[index];
            switch (mask[m])
            {
                case 'c' when char.IsAsciiLetterLower(c):
                    chars[index] = char.ToUpperInvariant(c);
                    break;
                case 'h' when c == '.':
                    chars[index] = '-';
                    break;
                case 'u' when c == '.':
                    chars[index] = '_';
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
