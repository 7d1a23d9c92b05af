using System.Globalization;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// Go-style durations as Istio's CRDs accept them (<c>1s</c>, <c>500ms</c>, <c>1m30s</c>, <c>1.5h</c>),
/// parsed by hand so the patch engine needs no regular expression.
/// </summary>
public static class FilterDuration
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty";
            return false;
        }

        var span = text.AsSpan();
        var negative = false;
        if (span[0] is '-' or '+')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        decimal totalTicks = 0;
        if (span.IsEmpty)
        {
            error = "expected a number and a unit such as '1s' or '500ms'";
            return false;
        }

        while (!span.IsEmpty)
        {
            var n = 0;
            while (n < span.Length && (char.IsAsciiDigit(span[n]) || span[n] == '.'))
            {
                n++;
            }

            if (n == 0 || !decimal.TryParse(span[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = "expected a number and a unit such as '1s' or '500ms'";
                return false;
            }

            span = span[n..];
            var u = 0;
            while (u < span.Length && !char.IsAsciiDigit(span[u]) && span[u] != '.')
            {
                u++;
            }

            decimal? unitTicks = span[..u] switch
            {
                "ns" => 0.01m,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unitTicks is null)
            {
                error = u == 0 ? "missing unit (one of ns, us, ms, s, m, h)" : $"unknown unit '{span[..u]}' (one of ns, us, ms, s, m, h)";
                return false;
            }

            totalTicks += number * unitTicks.Value;
            if (totalTicks > TimeSpan.MaxValue.Ticks)
            {
                error = "too large";
                return false;
            }

            span = span[u..];
        }

        value = TimeSpan.FromTicks((long)totalTicks);
        value = negative ? -value : value;
        return true;
    }

    /// <summary>Formats as protobuf JSON's Duration (<c>1s</c>, <c>0.050s</c>), the only form Envoy accepts.</summary>
    public static string ToProtoJson(TimeSpan value)
    {
        var seconds = value.Ticks / TimeSpan.TicksPerSecond;
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var digits = fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + digits + "s";
    }

    /// <summary>Short human form for messages (<c>1ms</c>, <c>50ms</c>, <c>2s</c>).</summary>
    public static string Format(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0
            ? (value.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "s"
            : value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}
