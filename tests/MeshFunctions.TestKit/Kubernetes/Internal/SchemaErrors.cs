using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>The API server's 422 for field errors: one cause per error, the message listing them all.</summary>
internal static class SchemaErrors
{
    public static KubeApiException Invalid(KubeResourceType type, string name, IReadOnlyList<SchemaCause> causes)
    {
        var array = new JsonArray();
        foreach (var cause in causes)
        {
            array.Add(new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message, ["field"] = cause.Field });
        }

        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Kind;
        details["causes"] = array;

        // apimachinery's ToAggregate: one error is written as is, several as [a, b].
        var list = causes.Count == 1 ? causes[0].ToString() : "[" + string.Join(", ", causes) + "]";
        return new KubeApiException(422, "Invalid", $"{type.GroupKind} \"{name}\" is invalid: {list}", details);
    }
}
