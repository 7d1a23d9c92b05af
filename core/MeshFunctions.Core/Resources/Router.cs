using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>
/// <c>router.service-mesh.zhihu.com/v1</c> Router: one per service; declares its port, protocol,
/// branches (production and sandboxes) and version weights.
/// </summary>
public sealed record Router : IMeshResource
{
    public const string Group = "router.service-mesh.zhihu.com";
    public const string ApiVersionValue = Group + "/v1";
    public const string KindValue = "Router";
    public const string MasterBranch = "master";

    public string ApiVersion { get; init; } = ApiVersionValue;

    public string Kind { get; init; } = KindValue;

    public ObjectMeta Metadata { get; init; } = new();

    public RouterSpec Spec { get; init; } = new();

    /// <summary>Accepted (written by the controller); never read as input.</summary>
    public System.Text.Json.Nodes.JsonObject? Status { get; init; }

    /// <inheritdoc />
    public IEnumerable<Diagnostic> Validate()
    {
        foreach (var d in MetadataRules.Validate(Metadata, serviceName: true))
        {
            yield return d;
        }

        if (Spec.Port is < 1 or > 65535)
        {
            yield return Diagnostic.Error("spec.port", $"must be between 1 and 65535, got {Spec.Port}");
        }

        if (Spec.Subsets.Count == 0)
        {
            yield return Diagnostic.Error("spec.subsets", "must list at least one branch (the 'master' branch is production)");
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var masters = 0;
        for (var i = 0; i < Spec.Subsets.Count; i++)
        {
            var subset = Spec.Subsets[i];
            var path = $"spec.subsets[{i}]";
            if (!Names.IsDns1123Label(subset.Branch))
            {
                yield return Diagnostic.Error(path + ".branch", $"'{subset.Branch}' is not a valid branch name (lower-case letters, digits and '-', at most 63 characters)");
                continue;
            }

            if (!seen.Add(subset.Branch))
            {
                yield return Diagnostic.Error(path + ".branch", $"branch '{subset.Branch}' is listed twice");
            }

            if (subset.Branch == MasterBranch)
            {
                masters++;
            }

            var serviceName = Metadata.Name + "--" + subset.Branch;
            if (Metadata.Name.Length > 0 && serviceName.Length > Names.MaxLabelLength)
            {
                yield return Diagnostic.Error(path + ".branch", $"the branch Service name '{serviceName}' would exceed {Names.MaxLabelLength} characters");
            }

            if (subset.Branch != MasterBranch)
            {
                var ns = Metadata.NamespaceOrDefault + "--" + subset.Branch;
                if (ns.Length > Names.MaxLabelLength)
                {
                    yield return Diagnostic.Error(path + ".branch", $"the sandbox namespace '{ns}' would exceed {Names.MaxLabelLength} characters");
                }
            }

            foreach (var d in ValidateVersions(subset, path))
            {
                yield return d;
            }
        }

        if (masters == 0)
        {
            yield return Diagnostic.Error("spec.subsets", "must contain the production branch 'master'");
        }
    }

    private static IEnumerable<Diagnostic> ValidateVersions(RouterSubset subset, string path)
    {
        if (subset.Versions is not { Count: > 0 } versions)
        {
            yield break;
        }

        var sum = 0;
        foreach (var (version, weight) in versions)
        {
            var vpath = Yaml.JsonPath.Property(path + ".versions", version);
            if (!Names.IsLabelValue(version) || version.Length == 0)
            {
                yield return Diagnostic.Error(vpath, $"'{version}' is not a valid version (a label value: letters, digits, '-', '_', '.', at most 63 characters)");
            }
            else if (!Rendering.SubsetNames.IsValidSubsetName(version))
            {
                // Istio needs DNS-1123 subset names; capitals, '-' and '_' cost three more characters each to encode.
                var subsetName = Rendering.SubsetNames.Encode(version);
                yield return Diagnostic.Error(vpath, $"version '{version}' needs the subset name '{subsetName}' ({subsetName.Length} characters), longer than the {Names.MaxLabelLength} Istio allows: use fewer upper-case letters, '-' or '_'");
            }

            if (weight is < 0 or > 100)
            {
                yield return Diagnostic.Error(vpath, $"weight must be between 0 and 100, got {weight}");
            }

            sum += weight;
        }

        if (sum != 100)
        {
            yield return Diagnostic.Error(path + ".versions", $"weights of branch '{subset.Branch}' must sum to 100, got {sum}");
        }
    }
}
