using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using MeshFunctions.Rls.Tests.Infrastructure;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace MeshFunctions.Rls.Tests.Compatibility;

/// <summary>
/// GRPC_SERVER_USE_TLS with a client CA: a real Grpc.Net.Client over TLS is answered only with a certificate from
/// that CA carrying the expected DNS name; without one, or with another CA's, the handshake fails.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _pki = new("rls-test");
    private readonly TestCertificates _otherPki = new("other");
    private readonly ConfigMapDirectory _config = new(FeatureConfig.Files);
    private RlsHost _host = null!;

    public async Task InitializeAsync()
    {
        var (_, certFile, keyFile) = _pki.Issue("ratelimit.local", client: false);
        _host = await RlsHost.StartAsync(_config.Path, new Dictionary<string, string?>
        {
            ["Rls:GrpcTlsCertificate"] = certFile,
            ["Rls:GrpcTlsKey"] = keyFile,
            ["Rls:GrpcTlsClientCa"] = _pki.CaFile,
            ["Rls:GrpcTlsClientSan"] = "envoy.local",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _config.Dispose();
        _pki.Dispose();
        _otherPki.Dispose();
    }

    private async Task<Code> CallAsync(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => TrustedByTestCa(certificate),
            },
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_host.GrpcPort}", new GrpcChannelOptions { HttpHandler = handler });
        var client = new Envoy.Service.Ratelimit.V3.RateLimitService.RateLimitServiceClient(channel);
        return (await client.ShouldRateLimitAsync(Request(FeatureConfig.Domain, ("fixed", "tls")))).OverallCode;
    }

    private bool TrustedByTestCa(X509Certificate? certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    // With TLS 1.3 the server checks the client certificate after the client considers the handshake done, so the
    // refusal surfaces as either status depending on timing; either way no call was answered.
    private static void AssertRefused(RpcException ex) =>
        Assert.True(ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal, $"expected the handshake to fail, got {ex.Status}");

    [Fact]
    public async Task ShouldRateLimit_ClientCertificateFromTheCa_Answered()
    {
        var (certificate, _, _) = _pki.Issue("envoy.local", client: true);

        Assert.Equal(Code.Ok, await CallAsync(certificate));
    }

    [Fact]
    public async Task ShouldRateLimit_NoClientCertificate_HandshakeRefused()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(null));

        AssertRefused(ex);
    }

    [Fact]
    public async Task ShouldRateLimit_CertificateFromAnotherCa_HandshakeRefused()
    {
        var (certificate, _, _) = _otherPki.Issue("envoy.local", client: true);

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(certificate));

        AssertRefused(ex);
    }

    [Fact]
    public async Task ShouldRateLimit_RightCaWrongName_HandshakeRefused()
    {
        var (certificate, _, _) = _pki.Issue("intruder.local", client: true);

        var ex = await Assert.ThrowsAsync<RpcException>(() => CallAsync(certificate));

        AssertRefused(ex);
    }

    [Fact]
    public async Task ShouldRateLimit_PlainTextToTlsPort_Refused()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _host.Client.ShouldRateLimitAsync(Request(FeatureConfig.Domain, ("fixed", "tls"))));

        Assert.NotEqual(StatusCode.OK, ex.StatusCode);
    }
}
