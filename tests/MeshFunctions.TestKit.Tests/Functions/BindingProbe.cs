namespace MeshFunctions.TestKit.Tests.Functions;

/// <summary>A function class in the test assembly, hosted through a hand-written functions.metadata, to check parameter binding.</summary>
public sealed class BindingProbe(BindingProbeLog log)
{
    public string Bytes(byte[] body, string popReceipt, int dequeueCount, DateTime insertionTime, string queueTrigger)
    {
        log.Seen.Add($"bytes:{body.Length}:{popReceipt.Length > 0}:{dequeueCount}:{insertionTime.Kind}:{queueTrigger}");
        return "seen";
    }

    public ProbeOutputs Binary(BinaryData body, CancellationToken cancellationToken)
    {
        log.Seen.Add($"binary:{body}:{cancellationToken.CanBeCanceled}");
        return new ProbeOutputs(["a", "b"], null);
    }

    public async Task Slow(string body, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref log.Running);
        lock (log)
        {
            log.MaxRunning = Math.Max(log.MaxRunning, running);
        }

        await Task.Delay(300, cancellationToken);
        Interlocked.Decrement(ref log.Running);
        log.Seen.Add("slow:" + body);
    }

    public static Task<ProbeOrder> Poco(ProbeOrder order, string? unknown) =>
        Task.FromResult(order with { Quantity = order.Quantity + 1, Note = unknown ?? "none" });
}

/// <summary>Records what <see cref="BindingProbe"/> saw.</summary>
public sealed class BindingProbeLog
{
#pragma warning disable CA1051 // a public field so Interlocked can count in-flight invocations
    public int Running;
#pragma warning restore CA1051

    public int MaxRunning { get; set; }

    public System.Collections.Concurrent.ConcurrentBag<string> Seen { get; } = [];
}

/// <summary>A POCO trigger payload.</summary>
public sealed record ProbeOrder(string Item, int Quantity, string? Note);

/// <summary>A multi-output return object: each property is an output binding.</summary>
public sealed record ProbeOutputs(string[] Fanout, string? Nothing);
