using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using MeshFunctions.TestKit.Functions.Host.Internal;
using MeshFunctions.TestKit.Functions.Host.Rpc;
using MeshFunctions.TestKit.Functions.Internal;

namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>The queue listener: batches, invocations over the stream, outputs, then delete, retry or poison.</summary>
public sealed partial class FunctionsWorkerHost
{
    // How long a received message stays invisible while its function runs (the host renews a 10 minute lease).
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);

    private List<QueueTrigger> _triggers = [];
    private Dictionary<string, List<QueueOutput>> _outputs = [];

    /// <summary>
    /// Waits until no invocation is running and every trigger queue is empty, delayed messages (continuations)
    /// included. Throws <see cref="TimeoutException"/> naming the queues when <paramref name="timeout"/> (a hang guard)
    /// passes, and <see cref="FunctionsHostException"/> if the worker exits meanwhile.
    /// </summary>
    public async Task WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var waiting = Volatile.Read(ref _inFlight) == 0 ? await WaitingMessagesAsync(cancellationToken).ConfigureAwait(false) : ["invocations are running"];
            if (waiting.Count == 0 && Volatile.Read(ref _inFlight) == 0)
            {
                return;
            }

            if (WorkerExited)
            {
                throw Failed((_gaveUp ? $"the worker exited and was not restarted again (MaxWorkerRestarts = {_options.MaxWorkerRestarts})" : "the worker exited")
                    + " while work was pending: " + string.Join(", ", waiting));
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not idle after {timeout}: {string.Join(", ", waiting)}");
            }

            await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for <see cref="Invocations"/>; <paramref name="timeout"/> is a hang guard.</summary>
    public async Task<IReadOnlyList<FunctionInvocation>> WaitForInvocationsAsync(Func<IReadOnlyList<FunctionInvocation>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var invocations = Invocations;
            if (condition(invocations))
            {
                return invocations;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the condition on invocations did not hold after {timeout}; {invocations.Count} invocation(s): "
                    + string.Join(", ", invocations.TakeLast(10).Select(i => $"{i.Function}#{i.DequeueCount} {i.Outcome}")));
            }

            await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ResolveBindings()
    {
        var problems = new List<string>();
        var triggers = new List<QueueTrigger>();
        var outputs = new Dictionary<string, List<QueueOutput>>(StringComparer.Ordinal);
        foreach (var function in _functions)
        {
            foreach (var binding in function.Bindings.Where(b => b.Type is "queueTrigger" or "queue"))
            {
                var at = $"function '{function.Name}' binding '{binding.Name}'";
                string? missing = null;
                var queue = binding.Property("queueName") is { } name ? BindingExpressions.Resolve(name, _settings, out missing) : null;
                var connection = BindingExpressions.Connection(binding.Property("connection"), _settings);
                if (queue is null)
                {
                    problems.Add($"{at}: queueName '{binding.Property("queueName")}' cannot be resolved (no setting '{missing}')");
                }
                else if (!BindingExpressions.IsValidQueueName(queue))
                {
                    problems.Add($"{at}: '{queue}' is not a valid queue name");
                }

                if (connection is null)
                {
                    problems.Add($"{at}: no connection string in setting '{binding.Property("connection") ?? "AzureWebJobsStorage"}'");
                }

                if (queue is null || connection is null)
                {
                    continue;
                }

                if (binding.Type == "queueTrigger")
                {
                    triggers.Add(new QueueTrigger(function, queue, connection));
                }
                else if (binding.Direction.Equals("Out", StringComparison.OrdinalIgnoreCase))
                {
                    (outputs.TryGetValue(function.Name, out var list) ? list : outputs[function.Name] = []).Add(new QueueOutput(binding.Name, queue, connection));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw Failed("the worker's function metadata does not resolve against the settings:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }

        _triggers = triggers;
        _outputs = outputs;
    }

    private async Task CheckQueuesAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var trigger in _triggers)
        {
            var client = Client(trigger.ConnectionString, trigger.QueueName, QueueSettings.Base64);
            if (_options.CreateQueues)
            {
                await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (!(await client.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                missing.Add($"function '{trigger.Function.Name}' listens to queue '{trigger.QueueName}', which does not exist");
            }
        }

        if (missing.Count > 0)
        {
            throw new FunctionsHostException("trigger queues are missing (CreateQueues = true creates them):" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", missing));
        }
    }

    private void StartListening()
    {
        foreach (var trigger in _triggers)
        {
            _listeners.Add(Task.Run(() => ListenAsync(trigger, _stopping.Token)));
        }
    }

    /// <summary>
    /// One queue's listener: fetch up to <c>batchSize</c> messages whenever no more than <c>newBatchThreshold</c> are
    /// still running, as the storage extension does; on stop, running invocations finish.
    /// </summary>
    private async Task ListenAsync(QueueTrigger trigger, CancellationToken stopping)
    {
        var queue = Client(trigger.ConnectionString, trigger.QueueName, QueueSettings.Base64);
        var running = new List<Task>();
        var backoff = _options.PollInterval;
        while (!stopping.IsCancellationRequested && !_gaveUp)
        {
            // While a dead worker is being restarted no new delivery is taken; in-flight ones on the dead worker fail.
            try
            {
                await WorkerReadyAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or FunctionsHostException)
            {
                break;
            }

            running.RemoveAll(t => t.IsCompleted);
            if (running.Count > QueueSettings.NewBatchThreshold)
            {
                await Task.WhenAny(running).ConfigureAwait(false);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(QueueSettings.BatchSize, ProcessingLease, stopping).ConfigureAwait(false)).Value;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                // The queue service is unreachable (e.g. restarting): poll again later, as the host's listener does.
                messages = [];
            }

            foreach (var message in messages)
            {
                Interlocked.Increment(ref _inFlight);
                running.Add(Task.Run(() => ProcessAsync(trigger, queue, message), CancellationToken.None));
            }

            if (messages.Length > 0)
            {
                backoff = _options.PollInterval;
            }
            else
            {
                // The host's back-off on an empty queue: the pause doubles up to host.json maxPollingInterval.
                var pause = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Math.Max(QueueSettings.MaxPollingInterval.Ticks, _options.PollInterval.Ticks)));
                try
                {
                    await Task.Delay(pause, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ProcessAsync(QueueTrigger trigger, QueueClient queue, QueueMessage message)
    {
        try
        {
            var function = CurrentFunction(trigger.Function.Name);
            var request = NewInvocation(function);
            var binary = string.Equals(function.Trigger!.Property("dataType"), "Binary", StringComparison.OrdinalIgnoreCase);
            request.InputData.Add(new ParameterBinding
            {
                Name = function.Trigger.Name,
                Data = binary ? new TypedData { Bytes = ByteString.CopyFrom(message.Body.ToArray()) } : new TypedData { String = message.Body.ToString() },
            });
            AddTriggerMetadata(request, function, message);

            var response = await InvokeAsync(request, CancellationToken.None).ConfigureAwait(false);
            var error = Error(response);
            FunctionOutcome outcome;
            if (error is null)
            {
                // Outputs first: a crash between the two redelivers the trigger rather than losing the outputs.
                await WriteOutputsAsync(function, response, CancellationToken.None).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
                outcome = FunctionOutcome.Succeeded;
            }
            else if (message.DequeueCount >= QueueSettings.MaxDequeueCount)
            {
                var poison = Client(trigger.ConnectionString, trigger.QueueName + "-poison", QueueSettings.Base64);
                await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
                await poison.SendMessageAsync(message.Body).ConfigureAwait(false);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt).ConfigureAwait(false);
                outcome = FunctionOutcome.Poisoned;
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: QueueSettings.VisibilityTimeout).ConfigureAwait(false);
                outcome = FunctionOutcome.Retried;
            }

            _invocations.Enqueue(new FunctionInvocation(function.Name, queue.Name, message.MessageId, message.DequeueCount, outcome, error));
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or JsonException or NotSupportedException)
        {
            // Settling failed (queue service down, or an output the stand-in cannot write): the message reappears when
            // its lease ends, as with the real host; the error is recorded.
            _invocations.Enqueue(new FunctionInvocation(trigger.Function.Name, queue.Name, message.MessageId, message.DequeueCount, FunctionOutcome.Retried, ex));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The queue trigger's binding data, named as the storage extension names it.</summary>
    private static void AddTriggerMetadata(InvocationRequest request, WorkerFunction function, QueueMessage message)
    {
        static TypedData Json<T>(T value) => new() { Json = JsonSerializer.Serialize(value) };
        var metadata = request.TriggerMetadata;
        metadata["QueueTrigger"] = new TypedData { String = message.Body.ToString() };
        metadata["Id"] = new TypedData { String = message.MessageId };
        metadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        metadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        metadata["InsertionTime"] = Json(message.InsertedOn);
        metadata["ExpirationTime"] = Json(message.ExpiresOn);
        metadata["NextVisibleTime"] = Json(message.NextVisibleOn);
        metadata["sys"] = Json(new { MethodName = function.Name, UtcNow = DateTimeOffset.UtcNow, RandGuid = Guid.NewGuid() });
    }

    /// <summary>Writes the function's queue outputs: <c>$return</c> from the return value, others by binding name.</summary>
    private async Task WriteOutputsAsync(WorkerFunction function, InvocationResponse response, CancellationToken cancellationToken)
    {
        foreach (var output in _outputs.GetValueOrDefault(function.Name) ?? [])
        {
            var data = output.BindingName == "$return" ? response.ReturnValue : response.OutputData.FirstOrDefault(o => o.Name == output.BindingName)?.Data;
            var messages = TypedDataMessages.From(data);
            if (messages.Count == 0)
            {
                continue;
            }

            var client = Client(output.ConnectionString, output.QueueName, QueueSettings.Base64);
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var body in messages)
            {
                await client.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<string>> WaitingMessagesAsync(CancellationToken cancellationToken)
    {
        var waiting = new List<string>();
        foreach (var trigger in _triggers)
        {
            var properties = await Client(trigger.ConnectionString, trigger.QueueName, QueueSettings.Base64).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            if (properties.Value.ApproximateMessagesCount > 0)
            {
                waiting.Add($"queue '{trigger.QueueName}' holds {properties.Value.ApproximateMessagesCount} message(s)");
            }
        }

        return waiting;
    }
}
