using System.Text.Json.Nodes;
using k8s;

namespace MeshFunctions.Webhooks.Cache;

/// <summary>How one resource type is listed and watched (all namespaces).</summary>
/// <param name="Name">The plural, e.g. <c>virtualservices</c> (metrics and logs).</param>
/// <param name="List">Lists every object; returns them with the list's resourceVersion.</param>
/// <param name="Watch">Watches from a resourceVersion with bookmarks until the server ends the watch.</param>
internal sealed record ResourceSource(
    string Name,
    Func<CancellationToken, Task<(IReadOnlyList<JsonObject> Items, string ResourceVersion)>> List,
    Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType Type, JsonObject Object)>> Watch);
