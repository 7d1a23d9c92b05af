using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Answers;

/// <summary>Told of every mesh answer (the dependency-events publisher listens); must return at once.</summary>
internal interface IMeshAnswerObserver
{
    void OnMeshAnswer(CallerState caller, TargetState target);
}
