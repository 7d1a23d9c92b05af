namespace MeshFunctions.Rls.Backends;

/// <summary>
/// One ShouldRateLimit call's share of a Redis script call: its checks, where its results go and its clock. The script
/// call reads <see cref="Checks"/> and writes <see cref="Results"/> in place, so the caller keeps both alive (and
/// untouched) until the task it was given completes.
/// </summary>
internal readonly record struct RedisCallSlot(ReadOnlyMemory<CounterCheck> Checks, Memory<CounterResult> Results, long NowMs);
