using System.Text.Json.Nodes;

namespace MeshFunctions.Infra.Tests.Crds;

/// <summary>
/// What a CRD adds to the shape that core's model gives: names, printer columns, and the constraints
/// (bounds, patterns, required) keyed by field path (<c>spec.subsets[].branch</c>, <c>spec.x{}</c> for map values).
/// Every constraint mirrors a rule of the model's <c>Validate()</c>; <c>CrdSchemaTests</c> checks that
/// what the schema rejects core rejects too.
/// </summary>
internal sealed record CrdDefinition(
    Type Model,
    string Group,
    string Plural,
    string Singular,
    string[] ShortNames,
    (string Name, string Type, string JsonPath, string Description)[] Columns,
    IReadOnlyDictionary<string, JsonObject> Constraints)
{
    public string Kind => Model.Name;

    public string Name => Plural + "." + Group;

    public string FileName => Singular + ".yaml";
}
