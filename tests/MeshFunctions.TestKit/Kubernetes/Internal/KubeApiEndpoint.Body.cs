using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Request bodies: size limit, JSON parsing, content types and patch application.</summary>
internal sealed partial class KubeApiEndpoint
{
    private const string PatchTypes = "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";
    private const string CustomPatchTypes = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

    private async Task PatchAsync(HttpContext context, KubeRoute route, bool status, CancellationToken cancellationToken)
    {
        var mediaType = MediaType(context.Request.ContentType);
        var isMergeLike = mediaType is "application/merge-patch+json" or "application/strategic-merge-patch+json";
        if (mediaType == "application/strategic-merge-patch+json" && route.Type.IsCustom)
        {
            // Custom resources have no Go struct tags to merge by, so the real server refuses SMP for them.
            throw KubeStatus.UnsupportedMediaType(mediaType, CustomPatchTypes);
        }

        if (mediaType is "application/apply-patch+yaml" or "application/apply-patch+cbor")
        {
            throw KubeStatus.UnsupportedMediaType(mediaType, "(server-side apply is not implemented by the fake API server) " + PatchTypes);
        }

        if (mediaType != "application/json-patch+json" && !isMergeLike)
        {
            throw KubeStatus.UnsupportedMediaType(mediaType, route.Type.IsCustom ? CustomPatchTypes : PatchTypes);
        }

        var patch = ParseJson(await ReadBodyAsync(context, cancellationToken));
        Func<JsonObject, JsonObject> apply;
        if (isMergeLike)
        {
            if (patch is not JsonObject)
            {
                throw KubeStatus.BadRequest("a merge patch must be a JSON object");
            }

            if (mediaType == "application/strategic-merge-patch+json" && MergePatch.FindStrategicDirective(patch) is { } directive)
            {
                throw KubeStatus.BadRequest($"strategic merge directive '{directive}' is not supported by the fake API server (strategic merge patch is applied as a JSON merge patch)");
            }

            apply = current => AsObject(MergePatch.Apply(current, patch));
        }
        else
        {
            var operations = patch as JsonArray ?? throw KubeStatus.BadRequest("a JSON patch must be a JSON array of operations");
            apply = current => AsObject(Apply(current, operations));
        }

        await PatchAdmittedAsync(context, route, apply, status, cancellationToken);
    }

    private static JsonNode? Apply(JsonObject current, JsonArray operations)
    {
        try
        {
            return JsonPatch.Apply(current, operations);
        }
        catch (PatchException e)
        {
            throw new KubeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: {e.Message}");
        }
    }

    private static JsonObject AsObject(JsonNode? patched) =>
        patched as JsonObject ?? throw new KubeApiException(422, "Invalid", "the server rejected our request due to an error in our request: the patched document is not an object");

    private async Task<JsonObject> ReadObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var mediaType = MediaType(context.Request.ContentType);
        if (mediaType is not ("application/json" or "" or "*/*"))
        {
            throw KubeStatus.UnsupportedMediaType(mediaType, "application/json");
        }

        return ParseJson(await ReadBodyAsync(context, cancellationToken)) as JsonObject
            ?? throw KubeStatus.BadRequest("the body of the request must be a JSON object");
    }

    private async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context, cancellationToken);
        return body.Length == 0 ? null : ParseJson(body) as JsonObject;
    }

    private async Task<byte[]> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var limit = _options.MaxRequestBodyBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var total = 0L;
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total <= limit)
            {
                buffer.Write(chunk, 0, read);
            }
            else if (total > 4 * limit)
            {
                break;
            }
        }

        // The rest is drained (up to a bound) so the client reads the 413 instead of a reset connection.
        return total > limit ? throw KubeStatus.TooLarge(limit) : buffer.ToArray();
    }

    private static JsonNode ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw KubeStatus.BadRequest("the body of the request is JSON null");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"the body of the request was not valid JSON: {e.Message}");
        }
    }

    private static string MediaType(string? contentType) =>
        contentType is null ? string.Empty
        : MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() ?? string.Empty
        : contentType;
}
