using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>Duration spellings found in pod specs: GNU <c>sleep</c> arguments and Go/protobuf durations.</summary>
internal static partial class Durations
{
    /// <summary>Seconds (rounded up) of a <c>sleep</c> argument such as <c>30</c>, <c>30s</c>, <c>1.5m</c>; null when unreadable.</summary>
    public static int? SleepSeconds(string argument)
    {
        if (argument.Length is > 0 and <= 9 && argument.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            // Plain seconds (the usual "sleep 30"): what the pattern below reads too, without running it.
            return int.Parse(argument, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var m = SleepArgument().Match(argument);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var factor = m.Groups[2].Value switch
        {
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => 1,
        };
        var seconds = Math.Ceiling(n * factor);
        return seconds > int.MaxValue / 2 ? null : (int)seconds;
    }

    /// <summary>Seconds (rounded up) of a Go duration such as <c>5s</c>, <c>1m30s</c>, <c>500ms</c>; null when unreadable.</summary>
    public static int? GoDurationSeconds(string value)
    {
        if (value == "0")
        {
            return 0;
        }

        if (!GoDuration().IsMatch(value))
        {
            return null;
        }

        double total = 0;
        foreach (Match part in GoDurationPart().Matches(value))
        {
            var n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => n * 3600,
                "m" => n * 60,
                "s" => n,
                "ms" => n / 1e3,
                "us" or "µs" => n / 1e6,
                _ => n / 1e9,
            };
        }

        return total > int.MaxValue / 2 ? null : (int)Math.Ceiling(total);
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)([smhd]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex SleepArgument();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDurationPart();
}
