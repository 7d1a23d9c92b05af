using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Planning;

/// <summary>
/// Whether a plan takes something away that a route could still use: it deletes an object, or it writes a
/// DestinationRule without a subset the live one defines. Those are the steps whose safety depends on seeing every live
/// object that could refer to what goes, so a caller that found its live objects through a cache re-reads them
/// exhaustively before carrying out such a plan.
/// </summary>
public static class PlanRemovals
{
    /// <summary>True when <paramref name="plan"/> deletes an object or drops a subset from a DestinationRule in <paramref name="live"/>.</summary>
    public static bool RemovesAnything(TransitionPlan plan, IReadOnlyList<JsonObject> live)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(live);
        foreach (var step in plan.Steps)
        {
            if (step is DeleteStep)
            {
                return true;
            }

            if (step is ApplyStep { Object: var applied } && SubsetReferences.IsDestinationRule(applied)
                && live.FirstOrDefault(l => SubsetReferences.IsDestinationRule(l) && ObjectKey.Of(l) == ObjectKey.Of(applied)) is { } before
                && !SubsetNames(before).IsSubsetOf(SubsetNames(applied)))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> SubsetNames(JsonObject destinationRule) =>
        [.. (destinationRule["spec"]?["subsets"] as JsonArray ?? []).Select(s => (string?)s?["name"]).OfType<string>()];
}
