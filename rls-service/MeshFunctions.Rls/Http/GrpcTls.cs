using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MeshFunctions.Rls.Http;

/// <summary>
/// TLS on the gRPC port (envoyproxy/ratelimit <c>GRPC_SERVER_USE_TLS</c>), and mutual TLS when a client CA is set: the
/// client must present a certificate that chains to that CA alone (the system store is not trusted for clients) and,
/// when configured, carries the expected DNS name.
/// </summary>
internal static class GrpcTls
{
    public static HttpsConnectionAdapterOptions ServerOptions(RlsOptions options)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = X509Certificate2.CreateFromPemFile(options.GrpcTlsCertificate!, options.GrpcTlsKey),
        };
        if (options.GrpcTlsClientCa is { } caFile)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => IsTrustedClient(certificate, ca, options.GrpcTlsClientSan);
        }

        return https;
    }

    public static bool IsTrustedClient(X509Certificate2 certificate, X509Certificate2 ca, string? san)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        if (!chain.Build(certificate))
        {
            return false;
        }

        return san is null || certificate.MatchesHostname(san, allowWildcards: false, allowCommonName: false);
    }
}
