using System.Text.Json.Nodes;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// The rendered objects in apply order, the RLS configuration, and for each rendered object the input it came
/// from (so that findings about a rendered VirtualService point at its Router's file and line).
/// </summary>
internal sealed record RenderOutput(IReadOnlyList<JsonObject> Objects, RlsConfig RlsConfig, IReadOnlyDictionary<JsonObject, Manifest> Origins);
