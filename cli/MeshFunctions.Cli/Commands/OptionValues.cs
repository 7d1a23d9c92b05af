using System.CommandLine;
using System.CommandLine.Parsing;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Commands;

/// <summary>Command-line values parsed the way Kubernetes and Go spell them, with messages that name the option.</summary>
internal static class OptionValues
{
    /// <summary>A Go/Kubernetes duration (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>); a bare number or a negative value is refused.</summary>
    public static TimeSpan Duration(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (!FilterDuration.TryParse(text, out var value, out var error))
        {
            result.AddError($"{option}: '{text}' is not a duration ({error}); write it like 30s, 1m30s or 500ms");
            return default;
        }

        if (value < TimeSpan.Zero)
        {
            result.AddError($"{option}: '{text}' is negative; a duration must be zero or more");
            return default;
        }

        return value;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Integer(ArgumentResult result, string option, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{option}: '{text}' is not a whole number");
            return default;
        }

        if (value < min || value > max)
        {
            result.AddError($"{option}: must be between {min} and {max}, got {value}");
            return default;
        }

        return value;
    }

    /// <summary>One of an enum's names, case-insensitively; the message lists them (never the .NET type name).</summary>
    public static T Choice<T>(ArgumentResult result, string option)
        where T : struct, Enum
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text.FirstOrDefault()))
        {
            return value;
        }

        result.AddError($"{option}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
        return default;
    }

    /// <summary>Installs <paramref name="parse"/> as the option's parser.</summary>
    public static Option<T> With<T>(this Option<T> option, Func<ArgumentResult, T> parse)
    {
        option.CustomParser = r => parse(r)!;
        return option;
    }
}
