namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>Settings of a <see cref="FakeKubernetesApi"/>.</summary>
public sealed class FakeKubernetesApiOptions
{
    /// <summary>Largest accepted request body; larger gets 413. Default 3 MiB, the API server's default.</summary>
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>How many past events watches can replay; older resource versions get 410. Default 1000.</summary>
    public int EventLogCapacity { get; set; } = 1000;

    /// <summary>
    /// How often open watches that asked for bookmarks get one. Default 1 minute, as the API server;
    /// tests that want one now call <see cref="FakeKubernetesApi.SendBookmarks"/>.
    /// </summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When true, creating a namespaced object in a namespace that does not exist gets 404, as the
    /// NamespaceLifecycle admission plugin does. Default false; <c>default</c> and <c>kube-system</c> exist at start.
    /// </summary>
    public bool RequireNamespace { get; set; }

    /// <summary>
    /// Serve HTTPS with a fresh self-signed certificate (see <see cref="FakeKubernetesApi.CaCertificate"/>);
    /// <see cref="FakeKubernetesApi.CreateClientConfiguration"/> then trusts it. Default false (plain HTTP).
    /// </summary>
    public bool UseTls { get; set; }

    /// <summary>
    /// When set, every request must carry <c>Authorization: Bearer</c> with this token, else 401 (reason Unauthorized),
    /// as the API server's token authenticator answers; <see cref="FakeKubernetesApi.CreateClientConfiguration"/> sends it.
    /// Default null (no authentication).
    /// </summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>Clock for <c>creationTimestamp</c>, <c>deletionTimestamp</c>, latency and bookmarks. Default system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
