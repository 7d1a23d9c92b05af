using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>One RateLimit applied to one of its hosts: one descriptor, one counter.</summary>
internal sealed record RateLimitRule(string Id, RateLimitSpec Spec, RateLimitHost Host);
