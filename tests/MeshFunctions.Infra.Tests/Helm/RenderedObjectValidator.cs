using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>
/// Checks rendered objects independently of the chart: Kubernetes kinds strictly through KubernetesClient's models
/// (unknown fields and wrong types fail), Istio's and ours against their CRD schemas in the API stand-in (nothing
/// may be pruned). Kinds with no schema here (cert-manager, KEDA) are listed so a new kind cannot slip through.
/// </summary>
internal static class RenderedObjectValidator
{
    /// <summary>Kinds of other projects whose CRDs are not in this environment: shape-checked only by the tests.</summary>
    public static readonly string[] Unchecked = ["cert-manager.io/v1/Certificate", "cert-manager.io/v1/Issuer", "keda.sh/v1alpha1/ScaledObject"];

    private static readonly Lazy<Dictionary<string, Type>> Models = new(() =>
        typeof(V1Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(x => x.Entity is not null && x.Type.Namespace == "k8s.Models" && !x.Type.Name.EndsWith("List", StringComparison.Ordinal))
            .GroupBy(x => (x.Entity!.Group.Length == 0 ? x.Entity.ApiVersion : x.Entity.Group + "/" + x.Entity.ApiVersion) + "/" + x.Entity.Kind)
            .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal));

    private static readonly Lazy<JsonSerializerOptions> Strict = new(() =>
    {
        var field = typeof(KubernetesJson).GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .First(f => f.FieldType == typeof(JsonSerializerOptions));
        return new JsonSerializerOptions((JsonSerializerOptions)field.GetValue(null)!) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
    });

    /// <summary>Every problem found; empty when all objects are valid.</summary>
    public static async Task<List<string>> ValidateAsync(IEnumerable<JsonObject> objects)
    {
        var errors = new List<string>();
        await using var api = await FakeKubernetesApi.StartAsync();
        var installed = api.InstallMeshAndIstioCrds();
        foreach (var obj in objects)
        {
            var key = $"{obj["apiVersion"]}/{obj["kind"]}";
            var subject = $"{key} {obj["metadata"]?["namespace"]}/{obj["metadata"]?["name"]}";
            if (Models.Value.TryGetValue(key, out var model))
            {
                try
                {
                    _ = JsonSerializer.Deserialize(obj.ToJsonString(), model, Strict.Value);
                }
                catch (JsonException e)
                {
                    errors.Add($"{subject}: {e.Message}");
                }
            }
            else if (IsCustom(installed, obj))
            {
                try
                {
                    var copy = obj.DeepClone().AsObject();
                    if (copy["metadata"] is JsonObject meta && meta["namespace"] is null)
                    {
                        meta["namespace"] = HelmRenderer.Namespace;
                    }

                    var stored = api.Seed(copy);
                    if (!JsonNode.DeepEquals(stored["spec"], obj["spec"]))
                    {
                        errors.Add($"{subject}: the CRD schema pruned fields of spec: {obj["spec"]} vs {stored["spec"]}");
                    }
                }
                catch (ArgumentException e)
                {
                    errors.Add($"{subject}: {e.Message}");
                }
            }
            else if (!Unchecked.Contains(key))
            {
                errors.Add($"{subject}: no schema to check this kind against");
            }
        }

        return errors;
    }

    private static bool IsCustom(IReadOnlyList<string> installedCrds, JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        return group.Length > 0 && installedCrds.Any(n => n.EndsWith("." + group, StringComparison.Ordinal));
    }
}
