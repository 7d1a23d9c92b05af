namespace MeshFunctions.Core.Sidecars;

/// <summary>
/// A service a namespace's workloads call: <see cref="Host"/> in <see cref="Namespace"/>. The host is a short Service
/// name (<c>reviews</c>), an FQDN (<c>reviews.prod.svc.cluster.local</c>, <c>api.example.com</c>), a left-most wildcard
/// (<c>*.example.com</c>) or <c>*</c> for every service of the namespace.
/// </summary>
public sealed record SidecarDependency(string Namespace, string Host);
