using System.Reflection;
using System.Runtime.ExceptionServices;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>
/// Runs one invocation as the worker does: a DI scope per invocation, the function class created with
/// <see cref="ActivatorUtilities"/> from that scope, parameters bound by name, the result awaited and
/// its queue outputs written (base64) before the trigger message is settled.
/// </summary>
internal sealed class FunctionInvoker(IServiceProvider services, FunctionsHostOptions options, Func<string, string, QueueClient> queueClient)
{
    public async Task InvokeAsync(FunctionDescriptor function, TriggerInput input, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => Bind(function, p, input, cancellationToken)).ToArray();
        object? returned;
        try
        {
            returned = method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        var result = await UnwrapAsync(method.ReturnType, returned).ConfigureAwait(false);
        foreach (var output in function.Outputs)
        {
            var value = output.BindingName == "$return" ? result : Property(result, output.BindingName);
            var messages = ValueConverter.ToMessages(value, options.Serializer).ToList();
            if (messages.Count == 0)
            {
                continue;
            }

            var client = queueClient(output.ConnectionString, output.QueueName);
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var message in messages)
            {
                await client.SendMessageAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private object? Bind(FunctionDescriptor function, ParameterInfo parameter, TriggerInput input, CancellationToken cancellationToken)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (parameter.Name == function.Trigger.Name)
        {
            return input.Message is { } message
                ? ValueConverter.FromBody(type, message, parameter.Name!, options.Serializer)
                : NewTimerInfo(type);
        }

        return ValueConverter.FromMetadata(type, input.Metadata(parameter.Name ?? string.Empty));
    }

    /// <summary>A TimerInfo-like object built by reflection, so the test kit needs no worker package.</summary>
    private static object? NewTimerInfo(Type type)
    {
        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            return null;
        }

        var timer = Activator.CreateInstance(type);
        type.GetProperty("IsPastDue")?.SetValue(timer, false);
        return timer;
    }

    private static object? Property(object? value, string name) =>
        value?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(value);

    private static async Task<object?> UnwrapAsync(Type declared, object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return declared.IsGenericType ? declared.GetProperty("Result")!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case not null when declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)declared.GetMethod("AsTask")!.Invoke(returned, null)!;
                await asTask.ConfigureAwait(false);
                return asTask.GetType().GetProperty("Result")!.GetValue(asTask);
            default:
                return returned;
        }
    }
}
