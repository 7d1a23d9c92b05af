using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks;

/// <summary>Reports every problem of <see cref="WebhookOptions"/> at once, at start.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Webhooks:Port must be between 0 (any free port) and 65535, got {options.Port}");
        }

        if (string.IsNullOrWhiteSpace(options.CertificateDirectory))
        {
            errors.Add("Webhooks:CertificateDirectory is required (a directory with tls.crt and tls.key)");
        }

        if (options.MaxRequestBytes is < 64 * 1024 or > 64L * 1024 * 1024)
        {
            errors.Add($"Webhooks:MaxRequestBytes must be between 64 KiB and 64 MiB, got {options.MaxRequestBytes}");
        }

        if (options.MaxJsonDepth is < 16 or > 1000)
        {
            errors.Add($"Webhooks:MaxJsonDepth must be between 16 and 1000, got {options.MaxJsonDepth}");
        }

        if (options.RequestDeadline <= TimeSpan.Zero || options.RequestDeadline > TimeSpan.FromSeconds(25))
        {
            errors.Add($"Webhooks:RequestDeadline must be between 0 and 25 s (webhook timeoutSeconds is at most 30), got {options.RequestDeadline}");
        }

        if (options.TlsHandshakeTimeout <= TimeSpan.Zero || options.TlsHandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Webhooks:TlsHandshakeTimeout must be more than 0 and at most 5 minutes, got {options.TlsHandshakeTimeout}");
        }

        if (string.IsNullOrWhiteSpace(options.ManagedObjects.ServiceAccountUsername))
        {
            errors.Add("Webhooks:ManagedObjects:ServiceAccountUsername is required (e.g. system:serviceaccount:meshfunctions:meshfunctions)");
        }

        if (options.PublishEvents && string.IsNullOrWhiteSpace(options.EventsConnectionString))
        {
            errors.Add("AzureWebJobsStorage (or Webhooks:EventsConnectionString) is required while Webhooks:PublishEvents is true");
        }

        if (options.EventOutboxCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"Webhooks:EventOutboxCapacity must be between 1 and 1000000, got {options.EventOutboxCapacity}");
        }

        if (options.EventRetryMaxDelay < TimeSpan.FromMilliseconds(200) || options.EventRetryMaxDelay > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Webhooks:EventRetryMaxDelay must be between 200 ms and 10 min, got {options.EventRetryMaxDelay}");
        }

        if (options.DefaultSidecarAttempts is < 1 or > 1000)
        {
            errors.Add($"Webhooks:DefaultSidecarAttempts must be between 1 and 1000, got {options.DefaultSidecarAttempts}");
        }

        if (options.WatchTimeoutSeconds is < 10 or > 3600)
        {
            errors.Add($"Webhooks:WatchTimeoutSeconds must be between 10 and 3600, got {options.WatchTimeoutSeconds}");
        }

        errors.AddRange(options.Injection.Validate().Select(e => "Webhooks:Injection:" + e.Path + ": " + e.Message));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
