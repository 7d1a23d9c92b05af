using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>Fails the start when the Kubernetes connection settings cannot make a client (bad URL, token over http, bad CA).</summary>
internal sealed class KubeConnectionOptionsValidator : IValidateOptions<KubeConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, KubeConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host) && string.IsNullOrWhiteSpace(options.Token) && string.IsNullOrWhiteSpace(options.CaCertificate))
        {
            return ValidateOptionsResult.Success; // in-cluster or kubeconfig: read when the client is made
        }

        try
        {
            options.ToClientConfiguration();
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
