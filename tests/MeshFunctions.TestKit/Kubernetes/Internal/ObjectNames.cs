using System.Text.RegularExpressions;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Name rules the API server applies: DNS-1123 labels for namespaces and services, subdomains otherwise.</summary>
internal static partial class ObjectNames
{
    private const string SubdomainError =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelError =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Null when <paramref name="name"/> is valid for <paramref name="type"/>, else the server's message.</summary>
    public static string? Check(KubeResourceType type, string name)
    {
        var label = !type.IsCustom && type.Group.Length == 0 && type.Plural is "namespaces" or "services";
        if (label)
        {
            return name.Length <= 63 && Label().IsMatch(name) ? null : $"Invalid value: \"{name}\": {LabelError}";
        }

        return name.Length <= 253 && Subdomain().IsMatch(name) ? null : $"Invalid value: \"{name}\": {SubdomainError}";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();
}
