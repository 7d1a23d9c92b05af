using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Watch streams: newline-delimited JSON events, flushed one by one, until timeout, drop or disconnect.</summary>
internal sealed partial class KubeApiEndpoint
{
    private async Task WatchAsync(HttpContext context, KubeRoute route, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = route.Name is not null ? FieldSelector.ForName(route.Name) : FieldSelector.Parse(query["fieldSelector"], route.Type);
        var watch = _store.Watch(
            route.Type,
            route.Namespace,
            labels,
            fields,
            query["resourceVersion"],
            IsTrue(query["allowWatchBookmarks"]),
            IsTrue(query["sendInitialEvents"]));

        using var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), _options.TimeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.StartAsync(linked.Token);
            await context.Response.Body.FlushAsync(linked.Token);
            await foreach (var line in watch.Lines.ReadAllAsync(linked.Token))
            {
                await context.Response.WriteAsync(line + "\n", linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }

            if (watch.AbortRequested)
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: the server ends the stream cleanly.
        }
        finally
        {
            _store.Unwatch(watch);
        }
    }
}
