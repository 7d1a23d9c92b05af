using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>What an IstioFilter targets and which feature blocks it carries.</summary>
public sealed partial record IstioFilterSpec
{
    /// <summary>The Router whose rendered objects this filter patches (same namespace).</summary>
    public TargetRef TargetRef { get; init; } = new();

    /// <summary>Lower applies first; later filters win a conflict. Default 0.</summary>
    public int Priority { get; init; }

    internal IEnumerable<Diagnostic> Validate()
    {
        if (string.IsNullOrEmpty(TargetRef.Name))
        {
            yield return Diagnostic.Error("spec.targetRef.name", "is required: the Router this filter applies to");
        }

        if (TargetRef.Kind is not (null or "" or Router.KindValue))
        {
            yield return Diagnostic.Error("spec.targetRef.kind", $"must be '{Router.KindValue}', got '{TargetRef.Kind}'");
        }

        foreach (var d in ValidateFeatures())
        {
            yield return d;
        }
    }

    /// <summary>Checks of the feature blocks (in the partial file that declares them).</summary>
    private partial IEnumerable<Diagnostic> ValidateFeatures();
}
