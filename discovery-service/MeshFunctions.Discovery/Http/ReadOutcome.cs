using System.Text;
using MeshFunctions.Discovery.Answers;

namespace MeshFunctions.Discovery.Http;

/// <summary>What a Consul read answers, independent of the connection that carries it: an answer, or a client error.</summary>
internal readonly record struct ReadOutcome(int Status, Answer? Answer, string? Consistency, string? Error)
{
    public static ReadOutcome Of(Answer answer, string consistency) => new(answer.Status, answer, consistency, null);

    public static ReadOutcome Failure(int status, string error) => new(status, null, null, error);

    public string ContentType => Answer?.ContentType ?? "text/plain; charset=utf-8";

    public byte[] Body() => Answer?.Body ?? Encoding.UTF8.GetBytes(Error ?? string.Empty);
}
