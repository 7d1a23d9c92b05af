using System.Globalization;
using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Create, update, patch and delete with the API server's rules for server-owned fields.</summary>
internal sealed partial class ObjectStore
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Stores a new object. <paramref name="keepStatus"/> is for seeding; API creates drop status.</summary>
    public JsonObject Create(KubeResourceType type, string? ns, JsonObject body, bool keepStatus)
    {
        ObjectRules.CheckTypeAndScope(type, ns, body);
        ObjectRules.Normalize(type, body);
        var meta = ObjectRules.Metadata(body);
        if (ObjectRules.Text(meta, "resourceVersion") is { Length: > 0 })
        {
            throw KubeStatus.Unclassified("resourceVersion should not be set on objects to be created");
        }

        lock (_gate)
        {
            var name = ObjectRules.Text(meta, "name");
            if (string.IsNullOrEmpty(name))
            {
                var prefix = ObjectRules.Text(meta, "generateName");
                if (string.IsNullOrEmpty(prefix))
                {
                    throw KubeStatus.Invalid(type, string.Empty, "metadata.name", "Required value: name or generateName is required", "FieldValueRequired");
                }

                name = prefix + RandomSuffix();
                meta["name"] = name;
            }

            ObjectRules.CheckName(type, name);
            ObjectRules.CheckLabels(type, name, meta);
            if (type.Namespaced && _options.RequireNamespace && ns != null
                && Find(BuiltInResources.All[0], null, ns) is null)
            {
                throw KubeStatus.NotFound(BuiltInResources.All[0], ns);
            }

            if (Find(type, ns, name) is not null)
            {
                throw KubeStatus.AlreadyExists(type, name);
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Timestamp();
            meta["generation"] = 1L;
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            if (type.HasStatusSubresource && !keepStatus)
            {
                body.Remove("status");
            }

            Schemas.Check(type, name, body);
            return Commit(KubeWriteVerb.Create, type, ns, name, null, body, deleted: false);
        }
    }

    /// <summary>PUT of the main resource or <c>/status</c>.</summary>
    public JsonObject Update(KubeResourceType type, string? ns, string name, JsonObject body, bool status)
    {
        ObjectRules.CheckTypeAndScope(type, ns, body);
        var bodyName = ObjectRules.Text(ObjectRules.Metadata(body), "name");
        if (bodyName != name)
        {
            throw KubeStatus.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        lock (_gate)
        {
            var current = Find(type, ns, name) ?? throw KubeStatus.NotFound(type, name);
            var rv = ObjectRules.Text(body["metadata"], "resourceVersion");
            if (string.IsNullOrEmpty(rv) && type.IsCustom)
            {
                throw KubeStatus.Invalid(type, name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
            }

            return Write(type, ns, name, current, body, rv, status, status ? KubeWriteVerb.UpdateStatus : KubeWriteVerb.Update);
        }
    }

    /// <summary>PATCH: <paramref name="apply"/> turns the current object into the requested one under the lock.</summary>
    public JsonObject Patch(KubeResourceType type, string? ns, string name, Func<JsonObject, JsonObject> apply, bool status)
    {
        lock (_gate)
        {
            var current = Find(type, ns, name) ?? throw KubeStatus.NotFound(type, name);
            var patched = apply(current.DeepClone().AsObject());
            var patchedMeta = ObjectRules.Metadata(patched);
            if (ObjectRules.Text(patchedMeta, "name") != name || (type.Namespaced && ObjectRules.Text(patchedMeta, "namespace") != ns))
            {
                throw KubeStatus.Invalid(type, name, "metadata.name", "Invalid value: field is immutable");
            }

            ObjectRules.CheckTypeAndScope(type, ns, patched);
            var rv = ObjectRules.Text(patchedMeta, "resourceVersion");
            return Write(type, ns, name, current, patched, rv, status, status ? KubeWriteVerb.UpdateStatus : KubeWriteVerb.Patch);
        }
    }

    public JsonObject Delete(KubeResourceType type, string? ns, string name, JsonObject? options)
    {
        lock (_gate)
        {
            var current = Find(type, ns, name) ?? throw KubeStatus.NotFound(type, name);
            var meta = ObjectRules.Metadata(current);
            CheckPrecondition(type, name, options, "uid", ObjectRules.Text(meta, "uid"), "UID");
            CheckPrecondition(type, name, options, "resourceVersion", ObjectRules.Text(meta, "resourceVersion"), "ResourceVersion");
            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                if (meta["deletionTimestamp"] is not null)
                {
                    return current.DeepClone().AsObject();
                }

                var marked = current.DeepClone().AsObject();
                var markedMeta = ObjectRules.Metadata(marked);
                markedMeta["deletionTimestamp"] = Timestamp();
                markedMeta["deletionGracePeriodSeconds"] = 0;
                return Commit(KubeWriteVerb.MarkDeleted, type, ns, name, current, marked, deleted: false);
            }

            return Commit(KubeWriteVerb.Delete, type, ns, name, current, current.DeepClone().AsObject(), deleted: true);
        }
    }

    private JsonObject Write(KubeResourceType type, string? ns, string name, JsonObject current, JsonObject requested, string? rv, bool status, KubeWriteVerb verb)
    {
        var currentMeta = ObjectRules.Metadata(current);
        if (!string.IsNullOrEmpty(rv) && rv != ObjectRules.Text(currentMeta, "resourceVersion"))
        {
            throw KubeStatus.StaleResourceVersion(type, name);
        }

        JsonObject next;
        if (status)
        {
            // The status subresource changes status and nothing else.
            next = current.DeepClone().AsObject();
            SetOrRemove(next, "status", requested["status"]);
        }
        else
        {
            next = requested.DeepClone().AsObject();
            ObjectRules.Normalize(type, next);
            if (type.HasStatusSubresource)
            {
                SetOrRemove(next, "status", current["status"]);
            }
        }

        var meta = ObjectRules.Metadata(next);
        foreach (var owned in (string[])["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"])
        {
            SetOrRemove(meta, owned, currentMeta[owned]);
        }

        ObjectRules.CheckLabels(type, name, meta);
        Schemas.Check(type, name, next);
        if (!status && ObjectRules.SpecChanged(current, next))
        {
            meta["generation"] = ObjectRules.Long(currentMeta["generation"]) + 1;
        }

        if (JsonNode.DeepEquals(current, next))
        {
            // The API server skips no-op writes: no new resourceVersion, no watch event.
            return current.DeepClone().AsObject();
        }

        var result = Commit(verb, type, ns, name, current, next, deleted: false);
        if (meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 })
        {
            Commit(KubeWriteVerb.Delete, type, ns, name, next.DeepClone().AsObject(), next.DeepClone().AsObject(), deleted: true);
        }

        return result;
    }

    private static void CheckPrecondition(KubeResourceType type, string name, JsonObject? options, string field, string? actual, string label)
    {
        if (ObjectRules.Text(options?["preconditions"], field) is { } expected && expected != actual)
        {
            throw KubeStatus.Conflict(type, name, $"Precondition failed: {label} in precondition: {expected}, {label} in object meta: {actual}");
        }
    }

    private static void SetOrRemove(JsonObject target, string member, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(member);
        }
        else
        {
            target[member] = value.DeepClone();
        }
    }

    private string Timestamp() =>
        _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }
        });
}
