namespace MeshFunctions.Core.Tests.Infrastructure;

/// <summary>A fact that needs Istio's CRD schemas; skipped with the reason when <c>ISTIO_CRDS</c> is unset.</summary>
public sealed class IstioSchemaFactAttribute : FactAttribute
{
    public IstioSchemaFactAttribute()
    {
        Skip = IstioSchemas.SkipReason!;
    }
}
