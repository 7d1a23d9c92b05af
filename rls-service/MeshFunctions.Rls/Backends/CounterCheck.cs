using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Backends;

/// <summary>One counter to test and bump: <paramref name="Hits"/> against <paramref name="Limit"/> per <paramref name="WindowMs"/>.</summary>
internal readonly record struct CounterCheck(string Key, RlsAlgorithm Algorithm, long Limit, long WindowMs, long Hits);
