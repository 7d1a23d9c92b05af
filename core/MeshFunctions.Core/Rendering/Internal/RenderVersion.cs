namespace MeshFunctions.Core.Rendering.Internal;

/// <summary>One version of a branch: its label value, its subset name and its weight.</summary>
internal readonly record struct RenderVersion(string Version, string Subset, int Weight);
