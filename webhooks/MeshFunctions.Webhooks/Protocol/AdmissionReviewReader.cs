using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Reads an <c>admission.k8s.io/v1</c> AdmissionReview strictly: every field the rules rely on is checked for presence and
/// JSON type, and a problem names the field (<c>request.object: must be an object, got an array</c>).
/// </summary>
internal static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";

    public static async Task<AdmissionRequest> ReadAsync(Stream body, int maxDepth, CancellationToken cancellationToken)
    {
        JsonNode? root;
        try
        {
            root = await JsonNode.ParseAsync(body, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth }, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new AdmissionReviewException("the body is not valid JSON: " + FirstSentence(ex.Message));
        }

        return Read(root);
    }

    public static AdmissionRequest Read(JsonNode? root)
    {
        if (root is not JsonObject review)
        {
            throw new AdmissionReviewException($"the body must be a JSON object (an AdmissionReview), got {Describe(root)}");
        }

        var apiVersion = String(review, "apiVersion", "apiVersion");
        var kind = String(review, "kind", "kind");
        if (apiVersion != ApiVersion || kind != "AdmissionReview")
        {
            throw new AdmissionReviewException($"expected apiVersion {ApiVersion} and kind AdmissionReview, got '{apiVersion}' and '{kind}' (configure admissionReviewVersions: [v1])");
        }

        if (review["request"] is not JsonObject request)
        {
            throw new AdmissionReviewException($"request: must be an object, got {Describe(review["request"])}");
        }

        var uid = String(request, "uid", "request.uid");
        if (string.IsNullOrEmpty(uid))
        {
            throw new AdmissionReviewException("request.uid is required (the response must echo it)");
        }

        try
        {
            return new AdmissionRequest
            {
                Uid = uid,
                Kind = ReadKind(request),
                Resource = String(Object(request, "resource", "request.resource"), "resource", "request.resource.resource") ?? string.Empty,
                SubResource = String(request, "subResource", "request.subResource"),
                Name = String(request, "name", "request.name"),
                Namespace = String(request, "namespace", "request.namespace"),
                Operation = ReadOperation(request),
                Username = String(Object(request, "userInfo", "request.userInfo"), "username", "request.userInfo.username") ?? string.Empty,
                Object = Object(request, "object", "request.object"),
                OldObject = Object(request, "oldObject", "request.oldObject"),
                DryRun = request["dryRun"] switch
                {
                    null => false,
                    JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
                    var other => throw new AdmissionReviewException($"request.dryRun: must be a boolean, got {Describe(other)}", uid),
                },
            };
        }
        catch (AdmissionReviewException ex) when (ex.Uid is null)
        {
            throw new AdmissionReviewException(ex.Message, uid);
        }
    }

    private static GroupVersionKind ReadKind(JsonObject request)
    {
        var kind = Object(request, "kind", "request.kind") ?? throw new AdmissionReviewException("request.kind is required");
        var name = String(kind, "kind", "request.kind.kind");
        if (string.IsNullOrEmpty(name))
        {
            throw new AdmissionReviewException("request.kind.kind is required");
        }

        return new GroupVersionKind(String(kind, "group", "request.kind.group") ?? string.Empty, String(kind, "version", "request.kind.version") ?? string.Empty, name);
    }

    private static AdmissionOperation ReadOperation(JsonObject request) => String(request, "operation", "request.operation") switch
    {
        "CREATE" => AdmissionOperation.Create,
        "UPDATE" => AdmissionOperation.Update,
        "DELETE" => AdmissionOperation.Delete,
        "CONNECT" => AdmissionOperation.Connect,
        var other => throw new AdmissionReviewException($"request.operation: must be CREATE, UPDATE, DELETE or CONNECT, got '{other}'"),
    };

    private static string? String(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw new AdmissionReviewException($"{path}: must be a string, got {Describe(other)}"),
    };

    private static JsonObject? Object(JsonObject? parent, string key, string path) => parent?[key] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw new AdmissionReviewException($"{path}: must be an object, got {Describe(other)}"),
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
