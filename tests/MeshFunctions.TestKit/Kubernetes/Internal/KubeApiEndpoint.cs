using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// The one request delegate of the fake: routes by path and method, applies injected faults, and answers
/// every failure with a <c>v1 Status</c> so the real client raises <c>HttpOperationException</c>.
/// </summary>
internal sealed partial class KubeApiEndpoint
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly KubeFaults _faults;
    private readonly FakeKubernetesApiOptions _options;

    public KubeApiEndpoint(ObjectStore store, ResourceRegistry registry, KubeFaults faults, FakeKubernetesApiOptions options)
    {
        _store = store;
        _registry = registry;
        _faults = faults;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await ServeAsync(context, context.RequestAborted);
        }
        catch (KubeApiException e) when (!context.Response.HasStarted)
        {
            await WriteStatusAsync(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            await WriteStatusAsync(context, KubeStatus.Internal($"fake API server bug: {e.GetType().Name}: {e.Message}"));
        }
    }

    private async Task ServeAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var route = KubeRoute.Parse(segments, _registry);
        var watch = route is not null && (route.WatchPath || IsTrue(request.Query["watch"]));
        var verb = route is null ? "discovery" : Verb(request.Method, route, watch);
        _store.CountRequest(verb, route?.Type.Plural);

        var delay = _faults.LatencyFor(verb, route?.Type.Plural);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, cancellationToken);
        }

        if (_faults.TakeFailure(verb, route?.Type.Plural) is { } failure)
        {
            throw failure;
        }

        if (route is null)
        {
            var document = HttpMethods.IsGet(request.Method)
                ? DiscoveryDocuments.For(segments, _registry, $"{request.Host}")
                : null;
            await WriteJsonAsync(context, 200, document ?? throw KubeStatus.PathNotFound(request.Path.Value ?? "/"));
            return;
        }

        if (route.Subresource is not null && (route.Subresource != "status" || !route.Type.HasStatusSubresource))
        {
            throw KubeStatus.PathNotFound(request.Path.Value ?? "/");
        }

        if (IsTrue(request.Query["dryRun"]) || (request.Query["dryRun"] == "All" && verb is not ("create" or "update" or "patch" or "delete")))
        {
            throw KubeStatus.BadRequest("dryRun is not supported by the fake API server for " + verb);
        }

        var status = route.Subresource == "status";
        switch (verb)
        {
            case "get":
                await WriteJsonAsync(context, 200, _store.Get(route.Type, route.Namespace, route.Name!));
                break;
            case "list":
                await ListAsync(context, route);
                break;
            case "watch":
                await WatchAsync(context, route, cancellationToken);
                break;
            case "create":
                await CreateAdmittedAsync(context, route, await ReadObjectAsync(context, cancellationToken), cancellationToken);
                break;
            case "update":
                await UpdateAdmittedAsync(context, route, await ReadObjectAsync(context, cancellationToken), status, cancellationToken);
                break;
            case "patch":
                await PatchAsync(context, route, status, cancellationToken);
                break;
            case "delete":
                await DeleteAdmittedAsync(context, route, await ReadOptionalObjectAsync(context, cancellationToken), cancellationToken);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(context, route);
                break;
            default:
                throw KubeStatus.MethodNotAllowed(request.Method);
        }
    }

    private static string Verb(string method, KubeRoute route, bool watch)
    {
        var hasName = route.Name is not null;
        return method switch
        {
            "GET" when watch => "watch",
            "GET" => hasName ? "get" : "list",
            "POST" when !hasName && route.Subresource is null && (route.Namespace is not null || !route.Type.Namespaced) => "create",
            "PUT" when hasName => "update",
            "PATCH" when hasName => "patch",
            "DELETE" when hasName && route.Subresource is null => "delete",
            "DELETE" when !hasName => "deletecollection",
            _ => "unsupported",
        };
    }

    private async Task ListAsync(HttpContext context, KubeRoute route)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], route.Type);
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var continueToken = string.IsNullOrEmpty(query["continue"]) ? null : query["continue"].ToString();
        var (items, rv, next, remaining) = _store.List(route.Type, route.Namespace, labels, fields, limit, continueToken);
        await WriteJsonAsync(context, 200, ListOf(route.Type, items, rv, next, remaining));
    }

    private async Task DeleteCollectionAsync(HttpContext context, KubeRoute route)
    {
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], route.Type);
        var (items, _, _, _) = _store.List(route.Type, route.Namespace, labels, fields, 0, null);
        var deleted = new List<JsonObject>();
        foreach (var item in items)
        {
            var meta = ObjectRules.Metadata(item);
            deleted.Add(_store.Delete(route.Type, ObjectRules.Text(meta, "namespace"), ObjectRules.Text(meta, "name")!, null));
        }

        await WriteJsonAsync(context, 200, ListOf(route.Type, deleted, _store.ResourceVersion, null, 0));
    }

    /// <summary>
    /// Pods, services and custom resources answer DELETE with the object; the other built-ins answer with a
    /// Success status once the object is gone (their OpenAPI delete response is <c>v1 Status</c>).
    /// </summary>
    private static JsonObject DeleteResponse(KubeResourceType type, JsonObject deleted)
    {
        var meta = ObjectRules.Metadata(deleted);
        if (type.IsCustom || type.Key is "v1/pods" or "v1/services" || meta["deletionTimestamp"] is not null)
        {
            return deleted;
        }

        var details = new JsonObject { ["name"] = ObjectRules.Text(meta, "name") };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        details["uid"] = ObjectRules.Text(meta, "uid");
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    private static JsonObject ListOf(KubeResourceType type, List<JsonObject> items, long rv, string? next, long remaining)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            meta["continue"] = next;
            meta["remainingItemCount"] = remaining;
        }

        var array = new JsonArray();
        foreach (var item in items)
        {
            if (!type.IsCustom)
            {
                // Built-in list items come without apiVersion/kind from the real server.
                item.Remove("apiVersion");
                item.Remove("kind");
            }

            array.Add(item);
        }

        return new JsonObject { ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion, ["metadata"] = meta, ["items"] = array };
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static async Task WriteStatusAsync(HttpContext context, KubeApiException error)
    {
        if (error.Details?["retryAfterSeconds"] is JsonValue retry)
        {
            context.Response.Headers.RetryAfter = retry.ToJsonString();
        }

        await WriteJsonAsync(context, error.Code, error.ToStatus());
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
