using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Cluster;
using MeshFunctions.Discovery.Upstream;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// A computed per-service answer with everything it was computed from, each an immutable object replaced on change:
/// the answer may be reused while the view's snapshot, the target and the switch are these very objects (the caller is
/// part of the <see cref="AnswerKey"/>) and neither upstream nor Kubernetes is failing (then the headers' last contact
/// grows with time).
/// </summary>
internal sealed record CachedAnswer(UpstreamSnapshot Snapshot, TargetState? Target, SwitchInfo Switch, Answer Answer)
{
    public bool IsFor(UpstreamSnapshot snapshot, TargetState? target, SwitchInfo @switch) =>
        ReferenceEquals(Snapshot, snapshot) && ReferenceEquals(Target, target) && ReferenceEquals(Switch, @switch);
}
