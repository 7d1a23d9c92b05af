using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Cli.Output;

/// <summary>Prints a transition plan: numbered lines for people, or one document per step.</summary>
internal static class PlanFormatter
{
    public static string Text(TransitionPlan plan)
    {
        if (plan.IsEmpty)
        {
            return "Nothing to do: the live objects already match the desired ones.\n";
        }

        var sb = new StringBuilder();
        var applies = plan.Steps.Count(s => s is ApplyStep);
        var deletes = plan.Steps.Count(s => s is DeleteStep);
        var waits = plan.Steps.Count(s => s is WaitStep);
        sb.Append(CultureInfo.InvariantCulture, $"Plan: {plan.Steps.Count} steps ({applies} apply, {deletes} delete, {waits} wait), make-before-break:\n");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1,3}. {plan.Steps[i]}\n");
        }

        return sb.ToString();
    }

    /// <summary>One line counting what the plan deletes, by kind (<c>deletes 3 objects: 2 DestinationRule, 1 VirtualService</c>).</summary>
    public static string DeletionSummary(TransitionPlan plan)
    {
        var deletes = plan.Steps.OfType<DeleteStep>().ToList();
        if (deletes.Count == 0)
        {
            return "the plan deletes nothing";
        }

        var byKind = deletes.GroupBy(d => d.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        return $"the plan deletes {deletes.Count} object{(deletes.Count == 1 ? string.Empty : "s")}: {string.Join(", ", byKind)}";
    }

    public static IReadOnlyList<JsonNode> Documents(TransitionPlan plan) =>
        plan.Steps.Select((s, i) => (JsonNode)ToJson(s, i + 1)).ToList();

    private static JsonObject ToJson(PlanStep step, int number) => step switch
    {
        ApplyStep a => new JsonObject { ["step"] = number, ["action"] = "apply", ["reason"] = a.Reason, ["object"] = a.Object.DeepClone() },
        DeleteStep d => new JsonObject
        {
            ["step"] = number,
            ["action"] = "delete",
            ["reason"] = d.Reason,
            ["object"] = new JsonObject
            {
                ["apiVersion"] = d.ApiVersion,
                ["kind"] = d.Kind,
                ["metadata"] = new JsonObject { ["name"] = d.Name, ["namespace"] = d.Namespace },
            },
        },
        WaitStep w => new JsonObject { ["step"] = number, ["action"] = "wait", ["reason"] = w.Reason, ["seconds"] = w.Duration.TotalSeconds },
        _ => new JsonObject { ["step"] = number, ["action"] = step.GetType().Name, ["reason"] = step.Reason },
    };
}
