using System.Text.Json.Nodes;
using MeshFunctions.Core.Schemas;

namespace MeshFunctions.Core.Tests.Infrastructure;

/// <summary>
/// Istio 1.30's CRD schemas, loaded from the file named by <c>ISTIO_CRDS</c> (set by <c>.ci/run</c>
/// and the test script to <c>../shared/istio/crd-all.gen.yaml</c>), through core's <see cref="CrdSchemas"/>
/// (the same check <c>meshctl --istio-crds</c> runs).
/// </summary>
public static class IstioSchemas
{
    public const string Variable = "ISTIO_CRDS";

    private static readonly Lazy<CrdSchemas> Schemas = new(Load);

    /// <summary>Null when the schemas can be used; otherwise why tests that need them are skipped.</summary>
    public static string? SkipReason
    {
        get
        {
            var path = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrEmpty(path))
            {
                return $"{Variable} is not set: point it at Istio's crd-all.gen.yaml (../shared/istio/crd-all.gen.yaml) to validate rendered objects";
            }

            return File.Exists(path) ? null : $"{Variable}={path} does not exist";
        }
    }

    /// <summary>Every finding for <paramref name="obj"/> as <c>path: message</c>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var kind = (string?)obj["kind"] ?? string.Empty;
        if (!Schemas.Value.Knows(apiVersion, kind))
        {
            return [$"no Istio schema for {apiVersion} {kind}"];
        }

        return [.. Schemas.Value.Validate(obj).Select(d => $"{d.Path}: {d.Message}")];
    }

    /// <summary>True when the bundle has a schema for this apiVersion and kind.</summary>
    public static bool Knows(string apiVersion, string kind) => Schemas.Value.Knows(apiVersion, kind);

    private static CrdSchemas Load()
    {
        var path = Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException(SkipReason);
        return CrdSchemas.Parse(File.ReadAllText(path), path);
    }
}
