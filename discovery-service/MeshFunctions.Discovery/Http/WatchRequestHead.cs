using System.Text;

namespace MeshFunctions.Discovery.Http;

/// <summary>
/// The head of a plain HTTP/1.1 blocking read, parsed from the bytes on the connection: <c>GET</c> of a Consul read
/// (<see cref="ConsulApi.IsRead"/>) with an <c>index</c> parameter, a conservative target, at most
/// <see cref="MaxHeaders"/> well-formed headers with one <c>Host</c>, no body, no upgrade, no <c>Expect</c>, the whole head
/// in one buffer of at most <see cref="MaxBytes"/> bytes. Anything else is not claimed: Kestrel parses it, with its own
/// limits, errors and timeouts.
/// </summary>
internal sealed class WatchRequestHead
{
    public const int MaxBytes = 8 * 1024;

    public const int MaxHeaders = 100;

    private WatchRequestHead(ConsulTarget target, string? token, bool close, int length)
    {
        Target = target;
        Token = token;
        Close = close;
        Length = length;
    }

    public ConsulTarget Target { get; }

    /// <summary><c>?token=</c> if present and not empty, else the first <c>X-Consul-Token</c> header (as Kestrel's path reads it).</summary>
    public string? Token { get; }

    /// <summary>The client sent <c>Connection: close</c>.</summary>
    public bool Close { get; }

    /// <summary>Bytes of the head, final empty line included.</summary>
    public int Length { get; }

    /// <summary>The head at the start of <paramref name="data"/> if it is one this parser claims, else null.</summary>
    public static WatchRequestHead? TryParse(ReadOnlySpan<byte> data)
    {
        var end = data[..Math.Min(data.Length, MaxBytes)].IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var lines = data[..(end + 2)];
        var lineEnd = lines.IndexOf("\r\n"u8);
        var requestLine = lines[..lineEnd];
        if (!requestLine.StartsWith("GET /"u8) || !requestLine.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }

        var rawTarget = requestLine[4..^9];
        if (!IsPlainTarget(rawTarget))
        {
            return null;
        }

        var target = ConsulTarget.Parse(Encoding.ASCII.GetString(rawTarget));
        if (!ConsulApi.IsRead(target.RawPath, HttpMethods.Get) || !target.Has("index"))
        {
            return null;
        }

        var hosts = 0;
        var headers = 0;
        var close = false;
        string? token = null;
        for (var rest = lines[(lineEnd + 2)..]; rest.Length > 0;)
        {
            var next = rest.IndexOf("\r\n"u8);
            var line = rest[..next];
            rest = rest[(next + 2)..];
            var colon = line.IndexOf((byte)':');
            if (++headers > MaxHeaders || colon <= 0 || !IsToken(line[..colon]))
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!IsFieldValue(value))
            {
                return null;
            }

            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
            {
                hosts++;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!value.SequenceEqual("0"u8))
                {
                    return null;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(name, "Expect"u8) || Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
            {
                return null;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                foreach (var option in Encoding.ASCII.GetString(value).Split(',', StringSplitOptions.TrimEntries))
                {
                    if (option.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
                    {
                        return null;
                    }

                    close |= option.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Consul-Token"u8))
            {
                token ??= Encoding.ASCII.GetString(value);
            }
        }

        if (hosts != 1)
        {
            return null;
        }

        if (target.Get("token") is { Length: > 0 } queryToken)
        {
            token = queryToken;
        }

        return new WatchRequestHead(target, token, close, end + 4);
    }

    /// <summary>Origin form with RFC 3986 path and query characters only, every <c>%</c> followed by two hex digits.</summary>
    private static bool IsPlainTarget(ReadOnlySpan<byte> target)
    {
        for (var i = 0; i < target.Length; i++)
        {
            var b = target[i];
            if (b == '%')
            {
                if (i + 2 >= target.Length || !char.IsAsciiHexDigit((char)target[i + 1]) || !char.IsAsciiHexDigit((char)target[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
            else if (!char.IsAsciiLetterOrDigit((char)b) && "-._~!$&'()*+,;=:@/?"u8.IndexOf(b) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && "!#$%&'*+-.^_`|~"u8.IndexOf(b) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is not ((>= 0x20 and <= 0x7E) or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }
}
