using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshFunctions.Cli.Commands;

/// <summary>
/// The multi-cluster CA layout Istio's plug-in CA expects: one root, and per cluster an intermediate signed by it
/// (path length 0: it signs workload certificates only). Keys are RSA 4096 (Istio's own certs tooling) or ECDSA P-256.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority CreateRoot(string organization, string keyType, int days, TimeProvider time)
    {
        using var key = CreateKey(keyType);
        var request = Request(key, $"CN=Root CA, O={organization}");
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = time.GetUtcNow();
        return new CertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(days)));
    }

    /// <summary>An existing root (PEM certificate and key), to add a cluster to a mesh that already has one.</summary>
    public static CertificateAuthority LoadRoot(string certificatePem, string keyPem)
    {
        var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            certificate.Dispose();
            throw new UsageException("--root-cert is not a CA certificate (basicConstraints CA:TRUE missing)");
        }

        return new CertificateAuthority(certificate);
    }

    /// <summary>The intermediate for one cluster, valid no longer than this root.</summary>
    public CertificateAuthority CreateIntermediate(string organization, string cluster, string keyType, int days, TimeProvider time)
    {
        using var key = CreateKey(keyType);
        var request = Request(key, $"CN=Intermediate CA, O={organization}, L={cluster}");
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("istiod.istio-system.svc");
        request.CertificateExtensions.Add(san.Build());

        var now = time.GetUtcNow();
        var notAfter = now.AddDays(days) < Certificate.NotAfter.ToUniversalTime() ? now.AddDays(days) : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // positive
        using var signed = request.Create(Certificate, now.AddMinutes(-5), notAfter, serial);
        return new CertificateAuthority(key switch
        {
            RSA rsa => signed.CopyWithPrivateKey(rsa),
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => throw new InvalidOperationException("unsupported key"),
        });
    }

    public string CertificatePem() => Certificate.ExportCertificatePem() + "\n";

    /// <summary>PKCS#1 for RSA, SEC1 for EC: the encodings every Istio release reads.</summary>
    public string KeyPem() =>
        (Certificate.GetRSAPrivateKey() is { } rsa ? rsa.ExportRSAPrivateKeyPem()
            : Certificate.GetECDsaPrivateKey()!.ExportECPrivateKeyPem()) + "\n";

    public void Dispose() => Certificate.Dispose();

    private static AsymmetricAlgorithm CreateKey(string keyType) =>
        keyType == "ecdsa" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(4096);

    private static CertificateRequest Request(AsymmetricAlgorithm key, string subject) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException("unsupported key"),
    };
}
