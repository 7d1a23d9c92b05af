using System.Collections.Concurrent;
using MeshFunctions.Core.Events;
using MeshFunctions.Webhooks.Events;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

internal sealed class RecordingEventSink : IMeshConfigEventSink
{
    public ConcurrentQueue<MeshConfigEvent> Events { get; } = new();

    public void Publish(MeshConfigEvent change) => Events.Enqueue(change);
}
