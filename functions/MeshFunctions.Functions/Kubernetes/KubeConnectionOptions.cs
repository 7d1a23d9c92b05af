using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>
/// Where the Kubernetes API is, bound from configuration section <c>Kubernetes</c> (app settings <c>Kubernetes__Host</c>
/// and so on) and validated at start. Unset: in-cluster, else the kubeconfig (<c>KUBECONFIG</c>). An app outside the
/// cluster (Azure Functions) sets <see cref="Host"/>, <see cref="Token"/> and <see cref="CaCertificate"/> from the
/// chart's token Secret.
/// </summary>
public sealed class KubeConnectionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kubernetes";

    /// <summary>The API server's URL (https; plain http only without a token, e.g. a local stand-in).</summary>
    public string? Host { get; set; }

    /// <summary>A bearer token (the <c>token</c> of the chart's <c>&lt;release&gt;-functions-token</c> Secret).</summary>
    public string? Token { get; set; }

    /// <summary>The cluster CA as PEM, or as the base64 <c>ca.crt</c> value of the token Secret. Unset: the system's trust.</summary>
    public string? CaCertificate { get; set; }

    /// <summary>The client configuration these options describe; throws <see cref="InvalidOperationException"/> naming the bad setting.</summary>
    internal KubernetesClientConfiguration ToClientConfiguration()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            if (!string.IsNullOrWhiteSpace(Token) || !string.IsNullOrWhiteSpace(CaCertificate))
            {
                throw new InvalidOperationException("Kubernetes:Token and Kubernetes:CaCertificate need Kubernetes:Host (the API server's https URL).");
            }

            return KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        }

        if (!Uri.TryCreate(Host, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"Kubernetes:Host must be an absolute http(s) URL, got '{Host}'.");
        }

        var token = string.IsNullOrWhiteSpace(Token) ? null : Token.Trim();
        if (token is not null && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException("Kubernetes:Token is set but Kubernetes:Host is not https: the token would travel in clear text.");
        }

        var config = new KubernetesClientConfiguration { Host = Host, AccessToken = token };
        if (!string.IsNullOrWhiteSpace(CaCertificate))
        {
            config.SslCaCerts = [ParseCertificate(CaCertificate)];
        }

        return config;
    }

    private static X509Certificate2 ParseCertificate(string value)
    {
        var pem = value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? value : DecodeBase64(value);
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Kubernetes:CaCertificate is not a PEM certificate: {e.Message}", e);
        }
    }

    private static string DecodeBase64(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Kubernetes:CaCertificate is neither PEM nor base64 of PEM (the token Secret's ca.crt value).", e);
        }
    }
}
