using MeshFunctions.Discovery.Answers;

namespace MeshFunctions.Discovery.Http;

/// <summary>A read started by <see cref="ConsulApi.StartRead"/>: answered at once (<see cref="Done"/>), or an answer pending with its consistency.</summary>
internal readonly struct PendingRead
{
    public PendingRead(ReadOutcome done)
    {
        Done = done;
        Consistency = string.Empty;
    }

    public PendingRead(Task<Answer> answer, string consistency)
    {
        Answer = answer;
        Consistency = consistency;
    }

    public ReadOutcome Done { get; }

    public Task<Answer>? Answer { get; }

    public string Consistency { get; }
}
