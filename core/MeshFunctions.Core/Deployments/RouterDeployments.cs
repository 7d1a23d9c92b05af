using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Deployments;

/// <summary>
/// What a <see cref="DeployEvent"/> does to a Router's spec. Pure: the reconciler reads the Router, calls
/// <see cref="Apply"/>, and writes the result back (with the event's sequence) in one conditional update.
/// Applying the same event twice gives the same spec, so a retried write is harmless.
/// </summary>
public static class RouterDeployments
{
    /// <summary>The spec after <paramref name="deploy"/>; the input is not changed.</summary>
    /// <exception cref="ArgumentException">The event cannot apply to this spec (the message names the rule); nothing changes.</exception>
    public static RouterSpec Apply(RouterSpec spec, DeployEvent deploy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(deploy);
        var subsets = spec.Subsets.Select(s => s with { Versions = s.Versions is null ? null : new Dictionary<string, int>(s.Versions, StringComparer.Ordinal) }).ToList();
        var index = subsets.FindIndex(s => s.Branch == deploy.Branch);
        var branch = index < 0 ? null : subsets[index];
        var versions = branch?.Versions ?? new Dictionary<string, int>(StringComparer.Ordinal);
        var where = $"{deploy.Action} of {deploy.Namespace}/{deploy.Service} branch '{deploy.Branch}'";

        switch (deploy.Action)
        {
            case DeployAction.Deployed:
                var version = RequireVersion(deploy, where);
                if (versions.Count == 0)
                {
                    versions[version] = 100;
                }
                else
                {
                    versions.TryAdd(version, 0);
                }

                break;
            case DeployAction.Weighted:
                if (deploy.Weights is not { Count: > 0 } weights)
                {
                    throw new ArgumentException($"{where}: weights are required");
                }

                if (weights.Values.Sum() != 100 || weights.Values.Any(w => w is < 0 or > 100))
                {
                    throw new ArgumentException($"{where}: weights must be 0..100 each and sum to 100, got {string.Join(", ", weights.Select(p => $"{p.Key}={p.Value}"))}");
                }

                if (branch is null)
                {
                    throw new ArgumentException($"{where}: the branch does not exist (deploy a version first)");
                }

                versions = new Dictionary<string, int>(weights, StringComparer.Ordinal);
                break;
            case DeployAction.Promoted:
                version = RequireVersion(deploy, where);
                RequireBranch(branch, where);
                foreach (var key in versions.Keys.ToList())
                {
                    versions[key] = 0;
                }

                versions[version] = 100;
                break;
            case DeployAction.RolledBack:
                version = RequireVersion(deploy, where);
                RequireBranch(branch, where);
                versions = new Dictionary<string, int>(StringComparer.Ordinal) { [version] = 100 };
                break;
            case DeployAction.Deleted:
                if (deploy.Version is null)
                {
                    if (deploy.Branch == Router.MasterBranch)
                    {
                        throw new ArgumentException($"{where}: the production branch cannot be deleted (delete the Router instead)");
                    }

                    if (index >= 0)
                    {
                        subsets.RemoveAt(index);
                    }

                    return spec with { Subsets = subsets };
                }

                if (versions.TryGetValue(deploy.Version, out var weight))
                {
                    if (weight > 0 && versions.Count > 1)
                    {
                        throw new ArgumentException($"{where}: version '{deploy.Version}' still takes {weight}% of the traffic; move its weight first");
                    }

                    versions.Remove(deploy.Version);
                }

                break;
            default:
                throw new ArgumentException($"{where}: unknown action");
        }

        var updated = new RouterSubset { Branch = deploy.Branch, Versions = versions.Count == 0 ? null : versions };
        if (index < 0)
        {
            subsets.Add(updated);
        }
        else
        {
            subsets[index] = updated;
        }

        return spec with { Subsets = subsets };
    }

    private static string RequireVersion(DeployEvent deploy, string where) =>
        string.IsNullOrEmpty(deploy.Version) ? throw new ArgumentException($"{where}: version is required") : deploy.Version;

    private static void RequireBranch(RouterSubset? branch, string where)
    {
        if (branch is null)
        {
            throw new ArgumentException($"{where}: the branch does not exist");
        }
    }
}
