using System.Collections.Concurrent;
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
    /// <summary>Every built-in kind by <c>apiVersion/kind</c>; loading all of KubernetesClient's ~6,000 types costs a fifth of a second, so only when a lookup by name fails.</summary>
    private static readonly Lazy<FrozenDictionary<string, Type>> AllTypes = new(Load);

    private static readonly Lazy<FrozenSet<string>> ApiVersions = new(() => AllTypes.Value.Keys.Select(k => k[..k.LastIndexOf('/')]).ToFrozenSet(StringComparer.Ordinal));

    /// <summary>Most answers remembered (an input may name any number of made-up kinds).</summary>
    private const int MaxRemembered = 1024;

    private static readonly ConcurrentDictionary<string, Type?> Found = new(StringComparer.Ordinal);

    /// <summary>Strict options for the generated models (their converters come from attributes on the types).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The shape checker for the generated models.</summary>
    public static ModelShape Shape { get; } = new(Options);

    /// <summary>The model of <paramref name="apiVersion"/> <paramref name="kind"/>, or null when it is not a built-in kind.</summary>
    public static Type? TypeFor(string apiVersion, string kind)
    {
        var key = apiVersion + "/" + kind;
        if (Found.TryGetValue(key, out var type))
        {
            return type;
        }

        type = ByName(apiVersion, kind) ?? AllTypes.Value.GetValueOrDefault(key);
        if (Found.Count < MaxRemembered)
        {
            Found.TryAdd(key, type);
        }

        return type;
    }

    /// <summary>True when the group of <paramref name="apiVersion"/> is one the models cover (so an unknown kind in it is a mistake).</summary>
    public static bool IsBuiltInGroup(string apiVersion) => ApiVersions.Value.Contains(apiVersion);

    /// <summary>
    /// The model found by the names KubernetesClient gives its types (<c>V1Deployment</c>; <c>Corev1Event</c> where two
    /// groups share a version and kind), checked against the type's entity attribute; null when neither name fits.
    /// </summary>
    internal static Type? ByName(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        if (version.Length == 0 || kind.Length == 0 || !IsName(version) || !IsName(kind))
        {
            return null;
        }

        var groupWord = group.Length == 0 ? "core" : group.Split('.')[0];
        foreach (var prefix in new[] { version, groupWord + version })
        {
            var name = "k8s.Models." + char.ToUpperInvariant(prefix[0]) + prefix[1..] + kind;
            if (Assembly.GetType(name) is { } type && type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity
                && entity.Kind == kind && entity.ApiVersion == version && (entity.Group ?? string.Empty) == group && !kind.EndsWith("List", StringComparison.Ordinal))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Every built-in kind (for tests: <see cref="ByName"/> must find each of them).</summary>
    internal static IReadOnlyDictionary<string, Type> All => AllTypes.Value;

    private static Assembly Assembly => typeof(V1Pod).Assembly;

    private static bool IsName(string s) => s.All(char.IsAsciiLetterOrDigit);

    private static FrozenDictionary<string, Type> Load()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in Assembly.GetTypes())
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
