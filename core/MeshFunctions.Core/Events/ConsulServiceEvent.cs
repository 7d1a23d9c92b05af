namespace MeshFunctions.Core.Events;

/// <summary>
/// <c>data</c> of <see cref="MeshEventTypes.ConsulService"/>: Discovery saw a service appear, change or
/// disappear in upstream Consul. <see cref="ConsulIndex"/> is the catalog's <c>X-Consul-Index</c> the change
/// was seen at; consumers drop an event whose index is older than one they already handled for the service.
/// The reconciler ensures a default Router for an appeared service and never deletes one automatically.
/// </summary>
/// <param name="Service">The Consul service name (also the Kubernetes Service name by convention).</param>
/// <param name="Datacenter">The Consul datacenter the change was seen in.</param>
/// <param name="Change">What happened.</param>
/// <param name="ConsulIndex">Upstream index of the change (≥ 1).</param>
/// <param name="Tags">The service's tags after the change (empty when it disappeared).</param>
public sealed record ConsulServiceEvent(
    string Service,
    string Datacenter,
    ConsulServiceChange Change,
    ulong ConsulIndex,
    IReadOnlyList<string> Tags);
