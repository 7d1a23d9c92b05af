namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// Finds the .NET regular-expression constructs that RE2 (Envoy's <c>safe_regex</c> engine) rejects, so
/// a RateLimit is refused at <c>kubectl apply</c> instead of Envoy refusing the whole listener update.
/// RE2 has no backtracking: no lookarounds, backreferences, atomic groups, possessive quantifiers or
/// conditionals. Of RE2's inline flags only <c>i m s</c> are accepted, because the pattern must also
/// parse as .NET (RE2's <c>U</c> does not).
/// </summary>
internal static class Re2Syntax
{
    /// <summary>Null when RE2 accepts what is checked here; otherwise why it does not.</summary>
    public static string? FindIncompatibility(string pattern)
    {
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length)
                {
                    return null; // the .NET parse reports the dangling escape
                }

                var next = pattern[i + 1];
                if (!inClass && next is >= '1' and <= '9')
                {
                    return $"backreference '\\{next}' at offset {i} is not supported by RE2";
                }

                if (!inClass && next == 'k' && i + 2 < pattern.Length && pattern[i + 2] is '<' or '\'' or '{')
                {
                    return $"named backreference at offset {i} is not supported by RE2";
                }

                if (next is 'G' or 'Z')
                {
                    return $"'\\{next}' at offset {i} is not supported by RE2 (use '\\z' or '$')";
                }

                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        i++; // a leading ']' is literal inside a class
                    }

                    break;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    if (CheckGroup(pattern, i) is { } groupError)
                    {
                        return groupError;
                    }

                    break;
                case '*' or '+' or '?' or '}' when i + 1 < pattern.Length && pattern[i + 1] == '+':
                    return $"possessive quantifier '{c}+' at offset {i} is not supported by RE2";
            }
        }

        return null;
    }

    private static string? CheckGroup(string pattern, int open)
    {
        var rest = pattern.AsSpan(open + 2);
        if (rest.StartsWith("=") || rest.StartsWith("!"))
        {
            return $"lookahead '(?{rest[0]}' at offset {open} is not supported by RE2";
        }

        if (rest.StartsWith("<=") || rest.StartsWith("<!"))
        {
            return $"lookbehind '(?{rest[..2]}' at offset {open} is not supported by RE2";
        }

        if (rest.StartsWith(">"))
        {
            return $"atomic group '(?>' at offset {open} is not supported by RE2";
        }

        if (rest.StartsWith("("))
        {
            return $"conditional '(?(' at offset {open} is not supported by RE2";
        }

        if (rest.StartsWith("'"))
        {
            return $"named group '(?'name'...)' at offset {open} is not supported by RE2 (use '(?P<name>...)')";
        }

        if (rest.StartsWith("<") || rest.StartsWith("P<") || rest.StartsWith(":"))
        {
            return null;
        }

        // Inline flags: (?flags) or (?flags:...), with an optional '-' for negation.
        foreach (var f in rest)
        {
            if (f is ')' or ':')
            {
                return null;
            }

            if (f is not ('i' or 'm' or 's' or '-'))
            {
                return $"inline flag '{f}' at offset {open} is not supported (RE2 and .NET share only i, m, s)";
            }
        }

        return null;
    }
}
