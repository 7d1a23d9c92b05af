using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Sidecars;

/// <summary>The outcome of <see cref="SidecarEgress.Merge"/>.</summary>
/// <param name="Sidecar">The merged Sidecar (a copy).</param>
/// <param name="Changed">False when every dependency was already imported (nothing to write).</param>
/// <param name="Added">The egress host entries added, sorted.</param>
/// <param name="Errors">Dependencies that were rejected, each naming the entry and the rule.</param>
public sealed record SidecarMergeResult(JsonObject Sidecar, bool Changed, IReadOnlyList<string> Added, IReadOnlyList<Diagnostic> Errors);
