using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>A test CA and serving certificates it signs, written as the PEM files a Secret volume holds.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "meshfunctions-webhooks-test-ca")
    {
        var request = new CertificateRequest("CN=" + name, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        Ca = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    public X509Certificate2 Ca { get; }

    /// <summary>PEM of the CA (a webhook configuration's caBundle, before base64).</summary>
    public string CaPem => Ca.ExportCertificatePem();

    /// <summary>Writes <c>tls.crt</c>/<c>tls.key</c> for 127.0.0.1 and localhost into <paramref name="directory"/>; returns the leaf's serial number.</summary>
    public string WriteServing(string directory, string commonName = "webhooks.meshfunctions.svc")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(commonName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        var now = DateTimeOffset.UtcNow;
        using var leaf = request.Create(Ca, now.AddDays(-1), now.AddDays(7), serial);
        Directory.CreateDirectory(directory);

        // Write both to temporary names, then rename: a reader never sees a half-written pair for long.
        var crt = Path.Combine(directory, "tls.crt");
        var keyFile = Path.Combine(directory, "tls.key");
        File.WriteAllText(keyFile + ".tmp", key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(crt + ".tmp", leaf.ExportCertificatePem());
        File.Move(keyFile + ".tmp", keyFile, overwrite: true);
        File.Move(crt + ".tmp", crt, overwrite: true);
        return leaf.SerialNumber;
    }

    /// <summary>A handler that trusts only this CA (as the API server trusts only the caBundle).</summary>
    public SocketsHttpHandler Handler(Action<string>? onServerCertificate = null) => new()
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                {
                    return false;
                }

                using var leaf = new X509Certificate2(cert);
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var ok = chain.Build(leaf);
                onServerCertificate?.Invoke(leaf.SerialNumber);
                return ok;
            },
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
