using System.Diagnostics;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MeshFunctions.TestKit.Functions.Internal;

namespace MeshFunctions.TestKit.Functions;

/// <summary>The queue listener: poll, invoke, then delete, release for retry, or move to the poison queue.</summary>
public sealed partial class FunctionsHost
{
    // How long a received message stays invisible while its function runs (the host renews a 10 min lease).
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);

    private long _polls;
    private long _emptyPolls;

    /// <summary>Receive requests this host sent to its trigger queues so far (each one is a queue transaction).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>Receive requests that found no message.</summary>
    public long EmptyPolls => Interlocked.Read(ref _emptyPolls);

    /// <summary>
    /// Polls every trigger queue and runs functions until all of them are empty, delayed messages included
    /// (continuation messages are waited for). Throws <see cref="TimeoutException"/> naming the queues still
    /// holding messages when <paramref name="timeout"/> passes. Returns the deliveries of this run.
    /// </summary>
    public async Task<IReadOnlyList<FunctionInvocation>> RunUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var before = _invocations.Count;
        var clock = Stopwatch.StartNew();
        var queues = _functions.Where(f => f.IsQueue).ToList();

        // Each queue is polled as the host's listener polls it: again at once after a batch, and after an empty poll
        // with a delay that doubles from PollInterval up to MaxPollingInterval (host.json maxPollingInterval).
        var due = new TimeSpan[queues.Count];
        var backoff = Enumerable.Repeat(_options.PollInterval, queues.Count).ToArray();
        while (true)
        {
            var processed = 0;
            var polled = false;
            for (var i = 0; i < queues.Count; i++)
            {
                if (clock.Elapsed < due[i])
                {
                    continue;
                }

                polled = true;
                var count = await PollAsync(queues[i], cancellationToken).ConfigureAwait(false);
                processed += count;
                if (count > 0)
                {
                    due[i] = TimeSpan.Zero;
                    backoff[i] = _options.PollInterval;
                }
                else
                {
                    due[i] = clock.Elapsed + backoff[i];
                    backoff[i] = TimeSpan.FromTicks(Math.Min(backoff[i].Ticks * 2, Math.Max(_options.MaxPollingInterval.Ticks, _options.PollInterval.Ticks)));
                }
            }

            if (processed == 0)
            {
                if (polled)
                {
                    var waiting = await WaitingMessagesAsync(cancellationToken).ConfigureAwait(false);
                    if (waiting.Count == 0)
                    {
                        return [.. _invocations.Skip(before)];
                    }

                    if (clock.Elapsed > timeout)
                    {
                        throw new TimeoutException($"not idle after {timeout}: {string.Join(", ", waiting)}");
                    }
                }

                var wait = due.Min() - clock.Elapsed;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
            }
            else if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"still processing messages after {timeout}");
            }
        }
    }

    private async Task<int> PollAsync(FunctionDescriptor function, CancellationToken cancellationToken)
    {
        var queue = Client(function.ConnectionString!, function.QueueName!, encoded: true);
        var messages = (await queue.ReceiveMessagesAsync(_options.BatchSize, ProcessingLease, cancellationToken).ConfigureAwait(false)).Value;
        Interlocked.Increment(ref _polls);
        if (messages.Length == 0)
        {
            Interlocked.Increment(ref _emptyPolls);
        }

        if (_options.Concurrency == 1)
        {
            foreach (var message in messages)
            {
                await ProcessAsync(function, queue, message, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(messages, parallel, (message, token) => new ValueTask(ProcessAsync(function, queue, message, token)))
                .ConfigureAwait(false);
        }

        return messages.Length;
    }

    private async Task ProcessAsync(FunctionDescriptor function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            await _invoker.InvokeAsync(function, new TriggerInput(message), invocation.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex;
        }

        FunctionOutcome outcome;
        if (error is null)
        {
            await SettleAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken)).ConfigureAwait(false);
            outcome = FunctionOutcome.Succeeded;
        }
        else if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            var poison = Client(function.ConnectionString!, PoisonName(queue.Name), encoded: true);
            await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            await SettleAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken)).ConfigureAwait(false);
            outcome = FunctionOutcome.Poisoned;
        }
        else
        {
            await SettleAsync(() => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            outcome = FunctionOutcome.Retried;
        }

        _invocations.Enqueue(new FunctionInvocation(function.Name, queue.Name, message.MessageId, message.DequeueCount, outcome, error));
    }

    private async Task<List<string>> WaitingMessagesAsync(CancellationToken cancellationToken)
    {
        var waiting = new List<string>();
        foreach (var function in _functions.Where(f => f.IsQueue))
        {
            var properties = await Client(function.ConnectionString!, function.QueueName!, encoded: true)
                .GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            if (properties.Value.ApproximateMessagesCount > 0)
            {
                waiting.Add($"queue '{function.QueueName}' holds {properties.Value.ApproximateMessagesCount} message(s)");
            }
        }

        return waiting;
    }

    private static string PoisonName(string queue) => queue + "-poison";

    /// <summary>
    /// Deletes or releases a message as the host's queue processor does: 404 MessageNotFound (a retried request whose
    /// first attempt succeeded, or a lease that expired and another listener took the message) and 409
    /// PopReceiptMismatch mean the message is no longer ours; that is not a failure of the listener.
    /// </summary>
    private static async Task SettleAsync(Func<Task> settle)
    {
        try
        {
            await settle().ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex) when (ex.ErrorCode is "MessageNotFound" or "PopReceiptMismatch" || ex.Status == 404)
        {
        }
    }
}
