using Azure.Messaging.ServiceBus;

namespace MeshFunctions.Functions.Outcomes;

/// <summary>The start-time checks of the Service Bus outcome settings (part of <see cref="ReconcilerOptionsValidator"/>).</summary>
internal static class OutcomesServiceBusValidation
{
    public static void Validate(List<string> errors, ReconcilerOptions options)
    {
        if (options.OutcomesServiceBus is not { } connection || string.IsNullOrWhiteSpace(connection))
        {
            return;
        }

        const string Field = nameof(ReconcilerOptions.OutcomesServiceBus);
        ServiceBusConnectionStringProperties properties;
        try
        {
            properties = ServiceBusConnectionStringProperties.Parse(connection);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // The parser's message names the problem; the connection string itself holds a secret and is not repeated.
            errors.Add($"{Field}: not a Service Bus connection string ({ex.Message})");
            return;
        }

        if (properties.Endpoint is null)
        {
            errors.Add($"{Field}: the connection string has no Endpoint=sb://<namespace>");
        }
        else if (properties.Endpoint.Scheme != "sb")
        {
            errors.Add($"{Field}: the Endpoint must be sb://<namespace>, got scheme '{properties.Endpoint.Scheme}'");
        }

        var hasKey = !string.IsNullOrEmpty(properties.SharedAccessKeyName) && !string.IsNullOrEmpty(properties.SharedAccessKey);
        if (!hasKey && string.IsNullOrEmpty(properties.SharedAccessSignature))
        {
            errors.Add($"{Field}: the connection string needs SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature");
        }

        if (!IsEntityName(options.OutcomesTopic))
        {
            errors.Add($"{nameof(ReconcilerOptions.OutcomesTopic)}: '{options.OutcomesTopic}' is not a topic name (1-260 letters, digits, '.', '-', '_', '/'; not starting or ending with '/' or '.')");
        }
        else if (properties.EntityPath is { Length: > 0 } path && !string.Equals(path, options.OutcomesTopic, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Field}: the connection string names EntityPath '{path}' but {nameof(ReconcilerOptions.OutcomesTopic)} is '{options.OutcomesTopic}'");
        }
    }

    private static bool IsEntityName(string name) =>
        name is { Length: >= 1 and <= 260 }
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/')
        && name[0] is not ('/' or '.') && name[^1] is not ('/' or '.');
}
