namespace MeshFunctions.Core.Tests.Infrastructure;

/// <summary>A theory that needs Istio's CRD schemas; skipped with the reason when <c>ISTIO_CRDS</c> is unset.</summary>
public sealed class IstioSchemaTheoryAttribute : TheoryAttribute
{
    public IstioSchemaTheoryAttribute()
    {
        Skip = IstioSchemas.SkipReason!;
    }
}
