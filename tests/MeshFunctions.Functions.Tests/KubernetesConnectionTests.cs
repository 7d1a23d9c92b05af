using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Kubernetes;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Tests;

/// <summary>
/// The app outside the cluster (Azure Functions mode): <c>Kubernetes:Host</c>, <c>Kubernetes:Token</c> and
/// <c>Kubernetes:CaCertificate</c> from the chart's token Secret, against an HTTPS API stand-in that requires the token.
/// </summary>
public sealed class KubernetesConnectionTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.functions-token";

    [Fact]
    public async Task DeployEvents_TokenAndSecretCaValue_AppliedOverHttps()
    {
        await using var app = await StartAsync(Token, secretStyleCa: true);
        await app.AddHostAsync();

        await app.DeployAsync(1, DeployAction.Deployed, "v1");

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
        Assert.Equal("True", app.Condition("Ready").Status);
    }

    [Fact]
    public async Task DeployEvents_PemCa_AppliedOverHttps()
    {
        await using var app = await StartAsync(Token, secretStyleCa: false);
        await app.AddHostAsync();

        await app.DeployAsync(1, DeployAction.Deployed, "v1");

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 100 }, app.MasterWeights());
    }

    [Fact]
    public async Task DeployEvents_WrongToken_NothingWrittenMessagePoisoned()
    {
        await using var app = await StartAsync("not-the-token", secretStyleCa: true, requiredToken: Token);
        var host = await app.AddHostAsync();

        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(1, DeployAction.Deployed, "v1"));
        await app.RunUntilIdleAsync();

        Assert.Empty(app.Api.Writes);
        Assert.Contains(host.Invocations, i => i.Outcome == FunctionOutcome.Poisoned);
        var poison = await app.Queues.GetQueueClient(MeshEventQueues.Poison(MeshEventQueues.DeployEvents)).ReceiveMessageAsync();
        Assert.NotNull(poison.Value);
    }

    [Theory]
    [InlineData("http", "Token", "not https: the token would travel in clear text")]
    [InlineData("https", "CaCertificate=garbage", "Kubernetes:CaCertificate is neither PEM nor base64 of PEM")]
    [InlineData("ftp", "Token", "Kubernetes:Host must be an absolute http(s) URL")]
    public async Task Start_BadConnectionSettings_RefusedNamingTheSetting(string scheme, string setting, string message)
    {
        await using var app = await MeshApp.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Kubernetes:Host"] = scheme + "://127.0.0.1:6443",
            ["Kubernetes:Token"] = setting == "Token" ? Token : null,
            ["Kubernetes:CaCertificate"] = setting.StartsWith("CaCertificate=", StringComparison.Ordinal) ? setting["CaCertificate=".Length..] : null,
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.AddHostAsync(settings: settings));

        Assert.Contains(message, Flatten(error), StringComparison.Ordinal);
        Assert.Empty(app.Api.Writes);
    }

    private static async Task<MeshApp> StartAsync(string token, bool secretStyleCa, string? requiredToken = null)
    {
        var apiOptions = new FakeKubernetesApiOptions { UseTls = true, RequiredBearerToken = requiredToken ?? token };
        var app = await MeshApp.StartAsync(apiOptions: apiOptions);
        var pem = app.Api.CaCertificate!.ExportCertificatePem();
        app.Configure(new()
        {
            ["Kubernetes:Token"] = token,
            // The token Secret's data value is base64 of the PEM; a PEM pasted as is works too.
            ["Kubernetes:CaCertificate"] = secretStyleCa ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pem)) : pem,
        });
        return app;
    }

    private static string Flatten(Exception error) => error switch
    {
        OptionsValidationException v => string.Join("; ", v.Failures),
        AggregateException a => string.Join("; ", a.InnerExceptions.Select(Flatten)),
        _ => error.Message + (error.InnerException is null ? string.Empty : "; " + Flatten(error.InnerException)),
    };
}
