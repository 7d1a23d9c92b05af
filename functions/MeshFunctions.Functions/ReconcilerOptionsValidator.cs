using MeshFunctions.Core.Resources;
using MeshFunctions.Functions.Outcomes;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions;

/// <summary>Checks <see cref="ReconcilerOptions"/> once at start and reports every problem at once.</summary>
internal sealed class ReconcilerOptionsValidator : IValidateOptions<ReconcilerOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconcilerOptions options)
    {
        var errors = new List<string>();
        Positive(errors, nameof(options.LeaseDuration), options.LeaseDuration);
        Positive(errors, nameof(options.DeployGapTimeout), options.DeployGapTimeout);
        Positive(errors, nameof(options.KubeRequestTimeout), options.KubeRequestTimeout);
        Positive(errors, nameof(options.KubeBreakDuration), options.KubeBreakDuration);
        if (options.PropagationDelay < TimeSpan.Zero || options.PropagationDelay > TimeSpan.FromDays(7))
        {
            errors.Add($"{nameof(options.PropagationDelay)}: must be between 0 and 7 days (a queue message's visibility limit), got {options.PropagationDelay}");
        }

        if (options.DeferDelay < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(options.DeferDelay)}: must be at least 1 s (queue storage counts whole seconds), got {options.DeferDelay}");
        }

        if (options.MaxDequeueCount < 1)
        {
            errors.Add($"{nameof(options.MaxDequeueCount)}: must be at least 1, got {options.MaxDequeueCount}");
        }

        if (options.KubeRetryAttempts is < 0 or > 20)
        {
            errors.Add($"{nameof(options.KubeRetryAttempts)}: must be between 0 and 20, got {options.KubeRetryAttempts}");
        }

        foreach (var (field, value) in new[] { (nameof(options.ConsulRouterNamespace), options.ConsulRouterNamespace), (nameof(options.RlsNamespace), options.RlsNamespace) })
        {
            if (!Names.IsDns1123Label(value))
            {
                errors.Add($"{field}: '{value}' is not a namespace name");
            }
        }

        if (!Names.IsDns1123Subdomain(options.RlsConfigMapName) || options.RlsHost.Split('.').Length < 2 || !Names.IsDns1123Subdomain(options.RlsHost))
        {
            errors.Add($"{nameof(options.RlsConfigMapName)}/{nameof(options.RlsHost)}: '{options.RlsConfigMapName}' must be an object name and '{options.RlsHost}' a host svc.ns[.svc.domain]");
        }

        if (options.DefaultRouterPort is < 1 or > 65535 || options.RlsPort is < 1 or > 65535)
        {
            errors.Add($"{nameof(options.DefaultRouterPort)}/{nameof(options.RlsPort)}: must be between 1 and 65535");
        }

        if (options.MaxEgressHosts < 1)
        {
            errors.Add($"{nameof(options.MaxEgressHosts)}: must be at least 1, got {options.MaxEgressHosts}");
        }

        OutcomesServiceBusValidation.Validate(errors, options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string field, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{field}: must be positive, got {value}");
        }
    }
}
