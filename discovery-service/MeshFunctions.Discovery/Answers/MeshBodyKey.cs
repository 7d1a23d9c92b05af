using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Upstream;

namespace MeshFunctions.Discovery.Answers;

/// <summary>Everything a synthesized mesh body depends on; equal keys give equal bytes (upstream result compared by reference).</summary>
internal sealed record MeshBodyKey(ServiceEndpoint Endpoint, string Service, bool HasSelectors, UpstreamResult? Result, TargetState Target, ulong Index);
