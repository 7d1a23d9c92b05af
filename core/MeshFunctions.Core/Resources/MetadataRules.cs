using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Checks shared by every custom resource's <c>metadata</c>.</summary>
internal static class MetadataRules
{
    public static IEnumerable<Diagnostic> Validate(ObjectMeta metadata, bool serviceName)
    {
        if (string.IsNullOrEmpty(metadata.Name))
        {
            yield return Diagnostic.Error("metadata.name", "is required");
        }
        else if (serviceName ? !Names.IsDns1123Label(metadata.Name) : !Names.IsDns1123Subdomain(metadata.Name))
        {
            var rule = serviceName
                ? "a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters, since it names a Service"
                : "a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters";
            yield return Diagnostic.Error("metadata.name", $"'{metadata.Name}' is not valid: must be {rule}");
        }

        if (metadata.Namespace is { Length: > 0 } ns && !Names.IsDns1123Label(ns))
        {
            yield return Diagnostic.Error("metadata.namespace", $"'{ns}' is not a valid namespace name (DNS-1123 label)");
        }
    }
}
