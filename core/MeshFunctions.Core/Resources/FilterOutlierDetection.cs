using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Istio <c>OutlierDetection</c> (circuit breaking), replacing the DestinationRule's block.</summary>
public sealed record FilterOutlierDetection
{
    public bool? SplitExternalLocalOriginErrors { get; init; }

    public int? ConsecutiveLocalOriginFailures { get; init; }

    public int? ConsecutiveGatewayErrors { get; init; }

    public int? Consecutive5xxErrors { get; init; }

    public string? Interval { get; init; }

    public string? BaseEjectionTime { get; init; }

    public int? MaxEjectionPercent { get; init; }

    public int? MinHealthPercent { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        foreach (var d in FilterRules.NonNegative(ConsecutiveLocalOriginFailures, path + ".consecutiveLocalOriginFailures")
            .Concat(FilterRules.NonNegative(ConsecutiveGatewayErrors, path + ".consecutiveGatewayErrors"))
            .Concat(FilterRules.NonNegative(Consecutive5xxErrors, path + ".consecutive5xxErrors"))
            .Concat(FilterRules.Duration(Interval, path + ".interval"))
            .Concat(FilterRules.Duration(BaseEjectionTime, path + ".baseEjectionTime")))
        {
            yield return d;
        }

        foreach (var (name, value) in new[] { ("maxEjectionPercent", MaxEjectionPercent), ("minHealthPercent", MinHealthPercent) })
        {
            if (value is < 0 or > 100)
            {
                yield return Diagnostic.Error(path + "." + name, $"must be between 0 and 100, got {value}");
            }
        }
    }
}
