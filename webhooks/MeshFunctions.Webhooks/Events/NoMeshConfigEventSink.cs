using MeshFunctions.Core.Events;

namespace MeshFunctions.Webhooks.Events;

/// <summary>Used when <see cref="WebhookOptions.PublishEvents"/> is false.</summary>
internal sealed class NoMeshConfigEventSink : IMeshConfigEventSink
{
    public void Publish(MeshConfigEvent change)
    {
    }
}
