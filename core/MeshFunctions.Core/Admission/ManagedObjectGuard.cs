using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Admission;

/// <summary>
/// Objects labelled <c>app.kubernetes.io/managed-by: meshfunctions</c> are rendered from Routers and IstioFilters;
/// hand edits would be overwritten or, worse, fight the controller. Only the controller's service account may change
/// them, unless the change carries the break-glass annotation with a reason (admitted, warned and audited).
/// </summary>
public static class ManagedObjectGuard
{
    /// <summary>
    /// Decides one request by <paramref name="username"/> (<c>request.userInfo.username</c>). An object counts as managed when the
    /// old or the new version carries the label, so removing the label is guarded too. The break-glass annotation is read
    /// from the new object, or from the old one on DELETE.
    /// </summary>
    public static AdmissionDecision Check(AdmissionOperation op, JsonObject? oldObj, JsonObject? newObj, string username, ManagedObjectGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(options);
        var managed = (op != AdmissionOperation.Create && IsManaged(oldObj)) || (op != AdmissionOperation.Delete && IsManaged(newObj));
        if (!managed || op == AdmissionOperation.Connect)
        {
            return AdmissionDecision.Allow();
        }

        if (username == options.ServiceAccountUsername || options.AlsoAllowedUsernames.Contains(username))
        {
            return AdmissionDecision.Allow();
        }

        var subject = (op == AdmissionOperation.Delete ? oldObj : newObj) ?? oldObj ?? newObj!;
        var id = ObjectId.Of(subject);
        var annotations = (subject["metadata"] as JsonObject)?["annotations"] as JsonObject;
        if (annotations?[options.BreakGlassAnnotation] is { } glass)
        {
            var reason = ObjectId.Text(glass)?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                return AdmissionDecision.Deny($"{id}: annotation {options.BreakGlassAnnotation} needs a reason as its value (who and why)");
            }

            return new AdmissionDecision
            {
                Allowed = true,
                Warnings = [$"break-glass change to managed {id} by {username} is audited; MeshFunctions may overwrite it on the next reconcile"],
                AuditAnnotations = new Dictionary<string, string> { ["break-glass"] = $"{op} by {username}: {reason}" },
            };
        }

        var verb = op switch
        {
            AdmissionOperation.Create => "created",
            AdmissionOperation.Delete => "deleted",
            _ => "changed",
        };
        var how = op == AdmissionOperation.Delete
            ? $"annotate it {options.BreakGlassAnnotation}=\"<reason>\" first"
            : $"add annotation {options.BreakGlassAnnotation}: \"<reason>\"";
        return AdmissionDecision.Deny(
            $"{id} is managed by MeshFunctions ({IstioNames.ManagedByLabel}={IstioNames.ManagedByValue}) and may only be {verb} by {options.ServiceAccountUsername}, not {username}. "
            + $"Change the Router or IstioFilter it is rendered from instead; in an emergency {how} (audited)");
    }

    private static bool IsManaged(JsonObject? obj) =>
        ObjectId.Text(((obj?["metadata"] as JsonObject)?["labels"] as JsonObject)?[IstioNames.ManagedByLabel]) == IstioNames.ManagedByValue;
}
