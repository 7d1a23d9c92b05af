using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>A throw-away CA that issues server and client certificates (ECDSA P-256), written as PEM files to a temp folder.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rls-tls-").FullName;
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaFile = Path.Combine(Directory, name + "-ca.pem");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public string CaFile { get; }

    /// <summary>Issues a certificate for <paramref name="dnsName"/> (and 127.0.0.1); returns it with its key and the PEM file paths.</summary>
    public (X509Certificate2 Certificate, string CertFile, string KeyFile) Issue(string dnsName, bool client)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(client ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        var withKey = issued.CopyWithPrivateKey(key);
        var certFile = Path.Combine(Directory, dnsName + ".pem");
        var keyFile = Path.Combine(Directory, dnsName + ".key");
        File.WriteAllText(certFile, withKey.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());

        // A PFX round trip gives SslStream a key it can use on every platform.
        return (X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null), certFile, keyFile);
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
