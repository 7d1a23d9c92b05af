using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>
/// Checks functions.metadata against the app assembly and settings the way the host's indexing would fail:
/// every problem is collected and reported at once, each naming the function and binding.
/// </summary>
internal static class FunctionResolver
{
    private static readonly string[] SupportedTriggers = ["queueTrigger", "timerTrigger"];

    public static List<FunctionDescriptor> Resolve(IReadOnlyList<FunctionMetadataEntry> entries, Assembly assembly, IConfiguration configuration)
    {
        var errors = new List<string>();
        var result = new List<FunctionDescriptor>();
        foreach (var duplicate in entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"function '{duplicate.Key}' is listed {duplicate.Count()} times");
        }

        foreach (var entry in entries)
        {
            var triggers = entry.Bindings.Where(b => b.IsTrigger).ToList();
            if (triggers.Count != 1)
            {
                errors.Add($"function '{entry.Name}': expected exactly one trigger binding, found {triggers.Count}");
                continue;
            }

            var trigger = triggers[0];
            if (!SupportedTriggers.Contains(trigger.Type, StringComparer.OrdinalIgnoreCase))
            {
                // HTTP and other triggers are outside the harness; such functions are simply not hosted.
                continue;
            }

            var count = errors.Count;
            if (!string.Equals(entry.ScriptFile, Path.GetFileName(assembly.Location), StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"function '{entry.Name}': scriptFile '{entry.ScriptFile}' is not the app assembly '{Path.GetFileName(assembly.Location)}'");
            }

            var method = FindMethod(entry, trigger, assembly, errors);
            var queue = trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase) ? ResolveQueue(entry, trigger, configuration, errors) : null;
            var connection = queue is null ? null : ResolveConnection(entry, trigger, configuration, errors);
            var outputs = new List<QueueOutput>();
            foreach (var output in entry.Bindings.Where(b => b.IsOut))
            {
                if (!output.Type.Equals("queue", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"function '{entry.Name}': output binding '{output.Name}' of type '{output.Type}' is not emulated by the harness");
                    continue;
                }

                if (ResolveQueue(entry, output, configuration, errors) is { } outQueue && ResolveConnection(entry, output, configuration, errors) is { } outConnection)
                {
                    outputs.Add(new QueueOutput(output.Name, outQueue, outConnection));
                }
            }

            if (errors.Count == count && method is not null)
            {
                result.Add(new FunctionDescriptor(entry.Name, method, trigger, queue, connection, outputs));
            }
        }

        if (errors.Count > 0)
        {
            throw new FunctionsHostException("functions.metadata does not match the app:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return result;
    }

    private static MethodInfo? FindMethod(FunctionMetadataEntry entry, BindingMetadata trigger, Assembly assembly, List<string> errors)
    {
        var dot = entry.EntryPoint.LastIndexOf('.');
        var type = dot > 0 ? assembly.GetType(entry.EntryPoint[..dot]) : null;
        if (type is null)
        {
            errors.Add($"function '{entry.Name}': entryPoint '{entry.EntryPoint}': type '{(dot > 0 ? entry.EntryPoint[..dot] : entry.EntryPoint)}' not found in {assembly.GetName().Name}");
            return null;
        }

        var name = entry.EntryPoint[(dot + 1)..];
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.Name == name).ToList();
        if (candidates.Count == 0)
        {
            errors.Add($"function '{entry.Name}': entryPoint '{entry.EntryPoint}': method '{name}' not found on {type.FullName}");
            return null;
        }

        var method = candidates.FirstOrDefault(m => m.GetParameters().Any(p => p.Name == trigger.Name));
        if (method is null)
        {
            errors.Add($"function '{entry.Name}': entryPoint '{entry.EntryPoint}' has no parameter named '{trigger.Name}' (the {trigger.Type} binding's name)");
            return null;
        }

        foreach (var parameter in method.GetParameters().Where(p => p.ParameterType.FullName == "Microsoft.Azure.Functions.Worker.FunctionContext"))
        {
            errors.Add($"function '{entry.Name}': parameter '{parameter.Name}' is a FunctionContext, which the harness does not provide");
        }

        return method;
    }

    private static string? ResolveQueue(FunctionMetadataEntry entry, BindingMetadata binding, IConfiguration configuration, List<string> errors)
    {
        if (string.IsNullOrEmpty(binding.QueueName))
        {
            errors.Add($"function '{entry.Name}': binding '{binding.Name}': queueName is missing");
            return null;
        }

        if (BindingExpressions.Resolve(binding.QueueName, configuration, out var missing) is not { } queue)
        {
            errors.Add($"function '{entry.Name}': binding '{binding.Name}': queueName '{binding.QueueName}' needs app setting '{missing}', which is not set");
            return null;
        }

        if (!BindingExpressions.IsValidQueueName(queue))
        {
            errors.Add($"function '{entry.Name}': binding '{binding.Name}': '{queue}' is not a valid queue name (3-63 lowercase letters, digits, single hyphens)");
            return null;
        }

        return queue;
    }

    private static string? ResolveConnection(FunctionMetadataEntry entry, BindingMetadata binding, IConfiguration configuration, List<string> errors)
    {
        if (BindingExpressions.Connection(binding.Connection, configuration) is { Length: > 0 } connection)
        {
            return connection;
        }

        errors.Add($"function '{entry.Name}': binding '{binding.Name}': storage connection '{binding.Connection ?? "AzureWebJobsStorage"}' is not set");
        return null;
    }
}
