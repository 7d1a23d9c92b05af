namespace MeshFunctions.Webhooks.Tests;

/// <summary>Runs <see cref="CertificateRotationTests"/> after every parallel test class, alone in this process.</summary>
[CollectionDefinition(nameof(CertificateRotationTests), DisableParallelization = true)]
public sealed class CertificateRotationCollection
{
}
