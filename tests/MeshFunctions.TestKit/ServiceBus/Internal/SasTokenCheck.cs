using System.Security.Cryptography;
using System.Text;

namespace MeshFunctions.TestKit.ServiceBus.Internal;

/// <summary>
/// Checks a shared access signature token (<c>SharedAccessSignature sr=…&amp;sig=…&amp;se=…&amp;skn=…</c>): the key name,
/// the expiry, the audience, and the HMAC-SHA256 of <c>sr + "\n" + se</c> under the policy key, as Service Bus does.
/// </summary>
internal static class SasTokenCheck
{
    private const string Prefix = "SharedAccessSignature ";

    /// <summary>200 when the token is good for <paramref name="audience"/>, else 400 (malformed) or 401 (refused) and why.</summary>
    public static (int Status, string Description) Check(string? token, string audience, FakeServiceBusOptions options)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return (400, "the token is not a SharedAccessSignature");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in token[Prefix.Length..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                return (400, $"malformed token field '{pair}'");
            }
        }

        if (!fields.TryGetValue("sr", out var resource) || !fields.TryGetValue("sig", out var signature) || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var keyName))
        {
            return (400, "the token needs sr, sig, se and skn");
        }

        if (!string.Equals(Uri.UnescapeDataString(keyName), options.KeyName, StringComparison.Ordinal))
        {
            return (401, $"unknown shared access policy '{Uri.UnescapeDataString(keyName)}'");
        }

        if (!long.TryParse(expiry, out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) <= options.TimeProvider.GetUtcNow())
        {
            return (401, $"the token expired (se={expiry})");
        }

        if (!Covers(Uri.UnescapeDataString(resource), audience))
        {
            return (401, $"the token is for '{Uri.UnescapeDataString(resource)}', not '{audience}'");
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Key), Encoding.UTF8.GetBytes(resource + "\n" + expiry)));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(Uri.UnescapeDataString(signature)))
            ? (200, "OK")
            : (401, "InvalidSignature: the token signature does not match the policy key");
    }

    /// <summary>
    /// Whether a token for <paramref name="resource"/> authorises <paramref name="audience"/>: same host, and the same path or
    /// a parent of it (a namespace token covers every entity). Scheme and port are ignored: the client signs
    /// <c>amqps://host/</c> and asks for <c>amqp://host/entity</c> in emulator mode.
    /// </summary>
    public static bool Covers(string resource, string audience)
    {
        if (!Uri.TryCreate(resource, UriKind.Absolute, out var r) || !Uri.TryCreate(audience, UriKind.Absolute, out var a) || !string.Equals(r.Host, a.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var (parent, child) = (EntityPath(resource).ToLowerInvariant(), EntityPath(audience).ToLowerInvariant());
        return parent.Length == 0 || child == parent || child.StartsWith(parent + "/", StringComparison.Ordinal);
    }

    /// <summary>The entity path of a token audience (<c>sb://host:port/topic</c> → <c>topic</c>; the namespace itself → empty).</summary>
    public static string EntityPath(string audience) =>
        Uri.TryCreate(audience, UriKind.Absolute, out var uri) ? uri.AbsolutePath.Trim('/') : audience.Trim('/');
}
