using MeshFunctions.Core.Events;
using MeshFunctions.Webhooks.Events;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>An event sink that fails (a dependency of a real rule breaking), so the rule itself throws.</summary>
internal sealed class ThrowingEventSink : IMeshConfigEventSink
{
    public void Publish(MeshConfigEvent change) => throw new InvalidOperationException("event sink is broken");
}
