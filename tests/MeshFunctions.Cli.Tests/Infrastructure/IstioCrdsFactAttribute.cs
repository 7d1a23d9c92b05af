namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>A fact that needs Istio's CRD schemas; skipped with the reason when they are not found.</summary>
public sealed class IstioCrdsFactAttribute : FactAttribute
{
    public IstioCrdsFactAttribute()
    {
        if (IstioCrds.Path is null)
        {
            Skip = "Istio's CRDs not found: set ISTIO_CRDS to crd-all.gen.yaml (eng/test.sh does)";
        }
    }
}
