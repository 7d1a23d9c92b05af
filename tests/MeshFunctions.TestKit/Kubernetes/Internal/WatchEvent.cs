using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>One committed change as the event log keeps it: the state before (null for adds) and after.</summary>
internal sealed record WatchEvent(KubeResourceType Type, string? Namespace, JsonObject? Before, JsonObject After, bool Deleted, long ResourceVersion);
