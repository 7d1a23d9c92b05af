using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Answers;

/// <summary>The observer when no event queue is configured.</summary>
internal sealed class NoMeshAnswerObserver : IMeshAnswerObserver
{
    public void OnMeshAnswer(CallerState caller, TargetState target)
    {
    }
}
