using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace MeshFunctions.Core.Schemas;

/// <summary>
/// The built-in Kubernetes kinds, as KubernetesClient generates them from Kubernetes' OpenAPI: which model
/// type serves an apiVersion and kind, and the strict options (unknown members refused, no number coercion)
/// the API server's strict field validation corresponds to.
/// </summary>
public static class KubernetesModels
{
    private static readonly FrozenDictionary<string, Type> Types = Load();

    private static readonly FrozenSet<string> ApiVersions = Types.Keys.Select(k => k[..k.LastIndexOf('/')]).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Strict options for the generated models (their converters come from attributes on the types).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The shape checker for the generated models.</summary>
    public static ModelShape Shape { get; } = new(Options);

    /// <summary>The model of <paramref name="apiVersion"/> <paramref name="kind"/>, or null when it is not a built-in kind.</summary>
    public static Type? TypeFor(string apiVersion, string kind) => Types.GetValueOrDefault(apiVersion + "/" + kind);

    /// <summary>True when the group of <paramref name="apiVersion"/> is one the models cover (so an unknown kind in it is a mistake).</summary>
    public static bool IsBuiltInGroup(string apiVersion) => ApiVersions.Contains(apiVersion);

    private static FrozenDictionary<string, Type> Load()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is not { } entity || string.IsNullOrEmpty(entity.Kind))
            {
                continue;
            }

            // List kinds (DeploymentList...) are flattened by the parser; only object kinds are validated.
            if (entity.Kind.EndsWith("List", StringComparison.Ordinal))
            {
                continue;
            }

            var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion;
            map.TryAdd(apiVersion + "/" + entity.Kind, type);
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            PropertyNameCaseInsensitive = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
