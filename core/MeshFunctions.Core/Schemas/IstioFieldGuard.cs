using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Schemas;

/// <summary>
/// Without the cluster's Istio CRD schemas (<see cref="CrdSchemas"/>), still catches misspelt top-level and
/// <c>spec</c> fields (and DestinationRule subset fields) of the Istio kinds meshctl renders or creates:
/// VirtualService, DestinationRule, EnvoyFilter and Sidecar. Field names are those of Istio's networking API.
/// </summary>
public static class IstioFieldGuard
{
    private const string Group = "networking.istio.io/";

    private static readonly string[] TopLevel = ["apiVersion", "kind", "metadata", "spec", "status"];

    private static readonly Dictionary<string, string[]> SpecFields = new(StringComparer.Ordinal)
    {
        ["VirtualService"] = ["hosts", "gateways", "http", "tls", "tcp", "exportTo"],
        ["DestinationRule"] = ["host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"],
        ["EnvoyFilter"] = ["workloadSelector", "configPatches", "priority", "targetRefs"],
        ["Sidecar"] = ["workloadSelector", "ingress", "egress", "inboundConnectionPool", "outboundTrafficPolicy"],
    };

    private static readonly string[] SubsetFields = ["name", "labels", "trafficPolicy"];

    /// <summary>True for the kinds this guard knows.</summary>
    public static bool Covers(string apiVersion, string kind) =>
        apiVersion.StartsWith(Group, StringComparison.Ordinal) && SpecFields.ContainsKey(kind);

    /// <summary>One finding per unknown field; empty for kinds it does not cover.</summary>
    public static IReadOnlyList<Diagnostic> Validate(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = (string?)(obj["apiVersion"] as JsonValue) ?? string.Empty;
        var kind = (string?)(obj["kind"] as JsonValue) ?? string.Empty;
        if (!Covers(apiVersion, kind))
        {
            return [];
        }

        var errors = new List<Diagnostic>();
        Unknown(obj, string.Empty, TopLevel, errors);
        switch (obj["spec"])
        {
            case JsonObject spec:
                Unknown(spec, "spec", SpecFields[kind], errors);
                if (kind == "DestinationRule" && spec["subsets"] is JsonArray subsets)
                {
                    for (var i = 0; i < subsets.Count; i++)
                    {
                        if (subsets[i] is JsonObject subset)
                        {
                            Unknown(subset, JsonPath.Index("spec.subsets", i), SubsetFields, errors);
                        }
                        else
                        {
                            errors.Add(Diagnostic.Error(JsonPath.Index("spec.subsets", i), "has the wrong type: expected a mapping, got " + ModelShape.Describe(subsets[i])) with { Code = DiagnosticCodes.WrongType });
                        }
                    }
                }
                else if (spec["subsets"] is { } notList && kind == "DestinationRule")
                {
                    errors.Add(Diagnostic.Error("spec.subsets", "has the wrong type: expected a list, got " + ModelShape.Describe(notList)) with { Code = DiagnosticCodes.WrongType });
                }

                break;
            case null:
                break;
            case var other:
                errors.Add(Diagnostic.Error("spec", "has the wrong type: expected a mapping, got " + ModelShape.Describe(other)) with { Code = DiagnosticCodes.WrongType });
                break;
        }

        return errors;
    }

    private static void Unknown(JsonObject obj, string path, string[] known, List<Diagnostic> errors)
    {
        foreach (var (name, _) in obj)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                errors.Add(Diagnostic.Error(JsonPath.Property(path, name), $"unknown field '{name}'") with { Code = DiagnosticCodes.UnknownField });
            }
        }
    }
}
