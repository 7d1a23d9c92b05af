using MeshFunctions.Core.Events;

namespace MeshFunctions.Webhooks.Events;

/// <summary>Where admitted Router/IstioFilter/RateLimit changes are announced. Must not block the admission answer.</summary>
internal interface IMeshConfigEventSink
{
    void Publish(MeshConfigEvent change);
}
