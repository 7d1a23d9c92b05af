namespace MeshFunctions.TestKit.Consul;

/// <summary>One request received by <see cref="FakeConsul"/>, for tests that assert what a client sent.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="RawTarget">Path and query exactly as sent (still percent-encoded).</param>
/// <param name="Token">ACL token from <c>?token=</c>, <c>X-Consul-Token</c> or <c>Authorization: Bearer</c>; null when none.</param>
/// <param name="Status">Status code answered.</param>
public sealed record ConsulRequest(string Method, string RawTarget, string? Token, int Status);
