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

    public static Task<ProbeOrder> Poco(ProbeOrder order, string? unknown) =>
        Task.FromResult(order with { Quantity = order.Quantity + 1, Note = unknown ?? "none" });
}

/// <summary>Records what <see cref="BindingProbe"/> saw.</summary>
public sealed class BindingProbeLog
{
    public List<string> Seen { get; } = [];
}

/// <summary>A POCO trigger payload.</summary>
public sealed record ProbeOrder(string Item, int Quantity, string? Note);

/// <summary>A multi-output return object: each property is an output binding.</summary>
public sealed record ProbeOutputs(string[] Fanout, string? Nothing);
