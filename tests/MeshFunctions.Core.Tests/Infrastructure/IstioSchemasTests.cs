using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Tests.Infrastructure;

public sealed class IstioSchemasTests
{
    [IstioSchemaFact]
    public void Validate_ValidVirtualService_HasNoFindings()
    {
        var vs = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"a","namespace":"b"},
             "spec":{"hosts":["a.b.svc.cluster.local"],"http":[{"route":[{"destination":{"host":"a","subset":"v1"},"weight":100}]}]}}
            """)!.AsObject();

        Assert.Empty(IstioSchemas.Validate(vs));
    }

    [IstioSchemaFact]
    public void Validate_MissingHostAndBadWeight_ReportsBoth()
    {
        var vs = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"a"},
             "spec":{"hosts":["a"],"http":[{"route":[{"destination":{"subset":"v1"},"weight":"abc"}]}]}}
            """)!.AsObject();

        var errors = IstioSchemas.Validate(vs);

        Assert.Contains(errors, e => e.Contains("host", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("weight", StringComparison.Ordinal));
    }

    [IstioSchemaFact]
    public void Validate_UndeclaredField_IsReportedAsPruned()
    {
        var dr = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"a"},
             "spec":{"host":"a","subsets":[{"name":"v1","labels":{"version":"v1"},"weigth":3}]}}
            """)!.AsObject();

        Assert.Contains(IstioSchemas.Validate(dr), e => e.StartsWith("spec.subsets[0].weigth: unknown field", StringComparison.Ordinal));
    }
}
