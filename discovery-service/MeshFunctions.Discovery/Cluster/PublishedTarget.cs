using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Cluster;

/// <summary>
/// Every candidate of one target name (one per namespace holding it), built under the cluster lock for the exact
/// name <paramref name="Name"/> and replaced, never changed, when one of them changes.
/// </summary>
internal sealed record PublishedTarget(string Name, TargetState[] Candidates);
