using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>
/// The CRDs applied to the fake: applying one serves its resources (every served version) and from then on every
/// write of those resources is pruned and validated against the version's <c>openAPIV3Schema</c>, as
/// kube-apiserver does. Resources without an applied CRD (the built-in registrations of Istio's and our kinds) are
/// stored unchecked, as before.
/// </summary>
internal sealed class CustomResourceSchemas
{
    private readonly ConcurrentDictionary<string, StructuralSchema> _byResource = new(StringComparer.Ordinal);

    /// <summary>Set at start: where applied CRDs register the resources they serve.</summary>
    public ResourceRegistry? Registry { get; set; }

    /// <summary>Checks a CRD (and starts serving it) or prunes and validates a custom resource. Throws 422.</summary>
    public void Check(KubeResourceType type, string name, JsonObject obj)
    {
        if (type.Key == "apiextensions.k8s.io/v1/customresourcedefinitions")
        {
            Apply(type, name, obj);
        }
        else if (type.IsCustom && _byResource.TryGetValue(type.Key, out var schema))
        {
            var causes = schema.PruneAndValidate(obj);
            if (causes.Count > 0)
            {
                throw SchemaErrors.Invalid(type, name, causes);
            }
        }
    }

    private void Apply(KubeResourceType crdType, string name, JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = ObjectRules.Text(spec, "group");
        var names = spec?["names"] as JsonObject;
        var plural = ObjectRules.Text(names, "plural");
        var kind = ObjectRules.Text(names, "kind");
        var scope = ObjectRules.Text(spec, "scope");
        var causes = new List<SchemaCause>();
        Require(causes, "spec.group", group);
        Require(causes, "spec.names.plural", plural);
        Require(causes, "spec.names.kind", kind);
        if (scope is not ("Namespaced" or "Cluster"))
        {
            causes.Add(scope is null
                ? SchemaCause.Required("spec.scope")
                : new SchemaCause("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        if (plural is not null && group is not null && name != plural + "." + group)
        {
            causes.Add(new SchemaCause("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        if (spec?["versions"] is not JsonArray { Count: > 0 } versions)
        {
            causes.Add(SchemaCause.Required("spec.versions"));
            versions = [];
        }

        var served = new List<(KubeResourceType Type, StructuralSchema Schema)>();
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i] as JsonObject;
            var versionName = ObjectRules.Text(version, "name");
            Require(causes, $"spec.versions[{i}].name", versionName);
            if (version?["schema"]?["openAPIV3Schema"] is not JsonObject raw)
            {
                causes.Add(SchemaCause.Required($"spec.versions[{i}].schema.openAPIV3Schema"));
                continue;
            }

            if (versionName is null || group is null || plural is null || kind is null || version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var hasStatus = version["subresources"]?["status"] is not null;
            served.Add((new KubeResourceType(group, versionName, plural, kind, scope != "Cluster", hasStatus, IsCustom: true), StructuralSchema.For(raw)));
        }

        if (causes.Count > 0)
        {
            throw SchemaErrors.Invalid(crdType, name, causes);
        }

        foreach (var (type, schema) in served)
        {
            Registry?.Register(type);
            _byResource[type.Key] = schema;
        }
    }

    private static void Require(List<SchemaCause> causes, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            causes.Add(SchemaCause.Required(field));
        }
    }
}
