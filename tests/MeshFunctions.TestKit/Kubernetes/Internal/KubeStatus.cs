using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>The API server's error statuses, with its reasons and message wording.</summary>
internal static class KubeStatus
{
    public static KubeApiException NotFound(KubeResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type, name, type.Plural));

    public static KubeApiException AlreadyExists(KubeResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name, type.Plural));

    public static KubeApiException Conflict(KubeResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {why}", Details(type, name, type.Plural));

    public static KubeApiException StaleResourceVersion(KubeResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static KubeApiException Invalid(KubeResourceType type, string name, string field, string detail, string causeReason = "FieldValueInvalid")
    {
        var details = Details(type, name, type.Kind);
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = causeReason,
            ["message"] = detail,
            ["field"] = field,
        });
        return new(422, "Invalid", $"{type.GroupKind} \"{name}\" is invalid: {field}: {detail}", details);
    }

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException Expired(string message) => new(410, "Expired", message);

    public static KubeApiException TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later (injected)",
            new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });

    public static KubeApiException Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>A plain error from the storage layer: 500 with no reason, as <c>ErrorToAPIStatus</c> renders it.</summary>
    public static KubeApiException Unclassified(string message) => new(500, string.Empty, message);

    public static KubeApiException ServiceUnavailable(string message) => new(503, "ServiceUnavailable", message);

    public static KubeApiException TooLarge(long limit) =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");

    public static KubeApiException UnsupportedMediaType(string contentType, string accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted} (got \"{contentType}\")");

    public static KubeApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method})");

    public static KubeApiException PathNotFound(string path) =>
        new(404, "NotFound", $"the server could not find the requested resource (path {path})");

    private static JsonObject Details(KubeResourceType type, string name, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = kind;
        return details;
    }
}
