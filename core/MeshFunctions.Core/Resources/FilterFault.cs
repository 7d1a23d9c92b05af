using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>HTTPFaultInjection</c> (delay and/or abort), copied onto <c>http[].fault</c>.</summary>
public sealed record FilterFault
{
    public FilterFaultDelay? Delay { get; init; }

    public FilterFaultAbort? Abort { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Delay is null && Abort is null)
        {
            yield return Diagnostic.Error(path, "must set delay, abort or both");
        }

        if (Delay is not null)
        {
            if (Delay.FixedDelay is null)
            {
                yield return Diagnostic.Error(path + ".delay.fixedDelay", "is required");
            }

            foreach (var d in FilterRules.Duration(Delay.FixedDelay, path + ".delay.fixedDelay").Concat(FilterRules.Percent(Delay.Percentage, path + ".delay.percentage")))
            {
                yield return d;
            }
        }

        if (Abort is not null)
        {
            var set = (Abort.HttpStatus is null ? 0 : 1) + (Abort.GrpcStatus is null ? 0 : 1);
            if (set != 1)
            {
                yield return Diagnostic.Error(path + ".abort", "must set exactly one of httpStatus and grpcStatus");
            }

            if (Abort.HttpStatus is { } status && status is < 200 or > 599)
            {
                yield return Diagnostic.Error(path + ".abort.httpStatus", $"must be an HTTP status between 200 and 599, got {status}");
            }

            foreach (var d in FilterRules.Percent(Abort.Percentage, path + ".abort.percentage"))
            {
                yield return d;
            }
        }
    }
}
