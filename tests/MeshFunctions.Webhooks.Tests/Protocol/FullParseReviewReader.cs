using System.Text.Json;
using MeshFunctions.Core.Admission;

using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Tests.Protocol;

/// <summary>
/// Test oracle: the webhook's earlier AdmissionReview reader, which parses the whole body into a document (duplicate member
/// names refused by <see cref="JsonDocumentOptions.AllowDuplicateProperties"/>) and then reads the envelope from it. The
/// one-pass reader (<see cref="AdmissionReviewReader"/>) must accept and refuse the same bodies with the same answers.
/// </summary>
internal static class FullParseReviewReader
{
    private const string ApiVersion = AdmissionReviewReader.ApiVersion;

    /// <summary>Parses and reads <paramref name="body"/> (UTF-8 JSON, at most <paramref name="maxDepth"/> levels deep).</summary>
    public static ReadReview Read(ReadOnlySpan<byte> body, int maxDepth)
    {
        JsonElement root;
        try
        {
            // A copy, so that the request may outlive the (pooled) body buffer. Duplicate member names are refused here:
            // which of two values a rule would read is undefined (the API server never sends them), and a node tree
            // built over them would fail later, inside a rule.
            var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
            root = document.RootElement;
        }
        catch (JsonException ex)
        {
            throw new AdmissionReviewException("the body is not valid JSON: " + FirstSentence(ex.Message));
        }

        return Read(root);
    }

    private static ReadReview Read(JsonElement review)
    {
        if (review.ValueKind != JsonValueKind.Object)
        {
            throw new AdmissionReviewException($"the body must be a JSON object (an AdmissionReview), got {Describe(review)}");
        }

        var apiVersion = String(review, "apiVersion", "apiVersion");
        var kind = String(review, "kind", "kind");
        if (apiVersion != ApiVersion || kind != "AdmissionReview")
        {
            throw new AdmissionReviewException($"expected apiVersion {ApiVersion} and kind AdmissionReview, got '{apiVersion}' and '{kind}' (configure admissionReviewVersions: [v1])");
        }

        var request = Get(review, "request");
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new AdmissionReviewException($"request: must be an object, got {Describe(request)}");
        }

        var uid = String(request, "uid", "request.uid");
        if (string.IsNullOrEmpty(uid))
        {
            throw new AdmissionReviewException("request.uid is required (the response must echo it)");
        }

        try
        {
            return new ReadReview
            {
                Uid = uid,
                Kind = ReadKind(request),
                Resource = String(Object(request, "resource", "request.resource"), "resource", "request.resource.resource") ?? string.Empty,
                SubResource = String(request, "subResource", "request.subResource"),
                Name = String(request, "name", "request.name"),
                Namespace = String(request, "namespace", "request.namespace"),
                Operation = ReadOperation(request),
                Username = String(Object(request, "userInfo", "request.userInfo"), "username", "request.userInfo.username") ?? string.Empty,
                Object = Raw(Object(request, "object", "request.object")),
                OldObject = Raw(Object(request, "oldObject", "request.oldObject")),
                DryRun = Get(request, "dryRun") switch
                {
                    { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => false,
                    { ValueKind: JsonValueKind.True } => true,
                    { ValueKind: JsonValueKind.False } => false,
                    var other => throw new AdmissionReviewException($"request.dryRun: must be a boolean, got {Describe(other)}", uid),
                },
            };
        }
        catch (AdmissionReviewException ex) when (ex.Uid is null)
        {
            throw new AdmissionReviewException(ex.Message, uid);
        }
    }

    private static GroupVersionKind ReadKind(JsonElement request)
    {
        var kind = Object(request, "kind", "request.kind");
        if (kind.ValueKind != JsonValueKind.Object)
        {
            throw new AdmissionReviewException("request.kind is required");
        }

        var name = String(kind, "kind", "request.kind.kind");
        if (string.IsNullOrEmpty(name))
        {
            throw new AdmissionReviewException("request.kind.kind is required");
        }

        return new GroupVersionKind(String(kind, "group", "request.kind.group") ?? string.Empty, String(kind, "version", "request.kind.version") ?? string.Empty, name);
    }

    private static AdmissionOperation ReadOperation(JsonElement request) => String(request, "operation", "request.operation") switch
    {
        "CREATE" => AdmissionOperation.Create,
        "UPDATE" => AdmissionOperation.Update,
        "DELETE" => AdmissionOperation.Delete,
        "CONNECT" => AdmissionOperation.Connect,
        var other => throw new AdmissionReviewException($"request.operation: must be CREATE, UPDATE, DELETE or CONNECT, got '{other}'"),
    };

    /// <summary>The member, or an undefined element when the parent is not an object or lacks it (JSON null counts as absent).</summary>
    private static JsonElement Get(JsonElement parent, string key) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(key, out var value) ? value : default;

    private static string? String(JsonElement parent, string key, string path) => Get(parent, key) switch
    {
        { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        var other => throw new AdmissionReviewException($"{path}: must be a string, got {Describe(other)}"),
    };

    /// <summary>The member when it is an object; undefined when absent or null; otherwise a problem naming the field.</summary>
    private static JsonElement Object(JsonElement parent, string key, string path) => Get(parent, key) switch
    {
        { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => default,
        { ValueKind: JsonValueKind.Object } o => o,
        var other => throw new AdmissionReviewException($"{path}: must be an object, got {Describe(other)}"),
    };

    private static string? Raw(JsonElement obj) => obj.ValueKind == JsonValueKind.Object ? obj.GetRawText() : null;

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "a value",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
