using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Answers;

/// <summary>What a read answers: status, body, and the values of the <c>X-Consul-*</c> headers.</summary>
internal sealed record Answer(int Status, byte[] Body, string ContentType, ulong Index, bool KnownLeader, long LastContactMs, AnswerKind Kind)
{
    /// <summary>The <c>X-Consul-Index</c> header value, built once per answer (cached answers are written many times).</summary>
    public string IndexText { get; } = Math.Max(Index, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of the change that woke the blocked query giving this answer; 0 when none did.</summary>
    public long ChangedAt { get; init; }
}
