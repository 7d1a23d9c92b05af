using System.Text.Json;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>
/// Writes Consul's wire shapes field by field, in the order real servers emit them (consul-api.md §3):
/// PascalCase Go names, nil lists as <c>[]</c>, capitalised <c>Address</c>/<c>Port</c> in service tagged addresses.
/// </summary>
internal static class ConsulJson
{
    public static void WriteCatalogService(Utf8JsonWriter w, ServiceInstance instance, string datacenter)
    {
        var (node, service) = (instance.Node, instance.Service);
        w.WriteStartObject();
        w.WriteString("ID", node.Id);
        w.WriteString("Node", node.Name);
        w.WriteString("Address", node.Address);
        w.WriteString("Datacenter", datacenter);
        WriteNodeTaggedAddresses(w, "TaggedAddresses", node.Address);
        WriteStringMap(w, "NodeMeta", node.Meta);
        w.WriteString("ServiceKind", string.Empty);
        w.WriteString("ServiceID", service.Id);
        w.WriteString("ServiceName", service.Name);
        WriteStrings(w, "ServiceTags", service.Tags);
        w.WriteString("ServiceAddress", service.Address);
        WriteServiceTaggedAddresses(w, "ServiceTaggedAddresses", service);
        WriteWeights(w, "ServiceWeights", service);
        WriteStringMap(w, "ServiceMeta", service.Meta ?? new Dictionary<string, string>());
        w.WriteNumber("ServicePort", service.Port);
        w.WriteString("ServiceSocketPath", string.Empty);
        w.WriteBoolean("ServiceEnableTagOverride", false);
        WriteProxy(w, "ServiceProxy");
        WriteEmptyObject(w, "ServiceConnect");
        w.WriteNull("ServiceLocality");
        w.WriteNumber("CreateIndex", service.CreateIndex);
        w.WriteNumber("ModifyIndex", service.ModifyIndex);
        w.WriteEndObject();
    }

    public static void WriteHealthEntry(Utf8JsonWriter w, ServiceInstance instance, string datacenter)
    {
        var (node, service) = (instance.Node, instance.Service);
        w.WriteStartObject();
        w.WriteStartObject("Node");
        w.WriteString("ID", node.Id);
        w.WriteString("Node", node.Name);
        w.WriteString("Address", node.Address);
        w.WriteString("Datacenter", datacenter);
        WriteNodeTaggedAddresses(w, "TaggedAddresses", node.Address);
        WriteStringMap(w, "Meta", node.Meta);
        w.WriteNumber("CreateIndex", node.CreateIndex);
        w.WriteNumber("ModifyIndex", node.ModifyIndex);
        w.WriteEndObject();

        w.WriteStartObject("Service");
        w.WriteString("ID", service.Id);
        w.WriteString("Service", service.Name);
        WriteStrings(w, "Tags", service.Tags);
        w.WriteString("Address", service.Address);
        WriteServiceTaggedAddresses(w, "TaggedAddresses", service);
        if (service.Meta is { Count: > 0 })
        {
            WriteStringMap(w, "Meta", service.Meta);
        }
        else
        {
            w.WriteNull("Meta");
        }

        w.WriteNumber("Port", service.Port);
        WriteWeights(w, "Weights", service);
        w.WriteBoolean("EnableTagOverride", false);
        WriteProxy(w, "Proxy");
        WriteEmptyObject(w, "Connect");
        w.WriteString("PeerName", string.Empty);
        w.WriteNumber("CreateIndex", service.CreateIndex);
        w.WriteNumber("ModifyIndex", service.ModifyIndex);
        w.WriteEndObject();

        w.WriteStartArray("Checks");
        foreach (var check in instance.Checks)
        {
            WriteCheck(w, check);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteKv(Utf8JsonWriter w, KvEntry entry)
    {
        w.WriteStartObject();
        w.WriteNumber("LockIndex", entry.LockIndex);
        w.WriteString("Key", entry.Key);
        w.WriteNumber("Flags", entry.Flags);
        if (entry.Value is null)
        {
            w.WriteNull("Value");
        }
        else
        {
            w.WriteBase64String("Value", entry.Value);
        }

        if (entry.Session is not null)
        {
            w.WriteString("Session", entry.Session);
        }

        w.WriteNumber("CreateIndex", entry.CreateIndex);
        w.WriteNumber("ModifyIndex", entry.ModifyIndex);
        w.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter w, CheckEntry check)
    {
        w.WriteStartObject();
        w.WriteString("Node", check.Node);
        w.WriteString("CheckID", check.CheckId);
        w.WriteString("Name", check.Name);
        w.WriteString("Status", check.Status);
        w.WriteString("Notes", check.Notes);
        w.WriteString("Output", check.Output);
        w.WriteString("ServiceID", check.ServiceId);
        w.WriteString("ServiceName", check.ServiceName);
        WriteStrings(w, "ServiceTags", check.ServiceTags);
        w.WriteString("Type", check.Type);
        w.WriteString("Interval", check.Interval);
        w.WriteString("Timeout", check.Timeout);
        w.WriteNumber("ExposedPort", 0);
        WriteEmptyObject(w, "Definition");
        w.WriteNumber("CreateIndex", check.CreateIndex);
        w.WriteNumber("ModifyIndex", check.ModifyIndex);
        w.WriteEndObject();
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteStringMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static void WriteNodeTaggedAddresses(Utf8JsonWriter w, string name, string address)
    {
        w.WriteStartObject(name);
        w.WriteString("lan", address);
        w.WriteString("lan_ipv4", address);
        w.WriteString("wan", address);
        w.WriteString("wan_ipv4", address);
        w.WriteEndObject();
    }

    private static void WriteServiceTaggedAddresses(Utf8JsonWriter w, string name, ServiceEntry service)
    {
        // omitempty: absent unless the service has its own address, then Consul adds lan_ipv4/wan_ipv4.
        if (service.Address.Length == 0)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach (var tag in new[] { "lan_ipv4", "wan_ipv4" })
        {
            w.WriteStartObject(tag);
            w.WriteString("Address", service.Address);
            w.WriteNumber("Port", service.Port);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteWeights(Utf8JsonWriter w, string name, ServiceEntry service)
    {
        w.WriteStartObject(name);
        w.WriteNumber("Passing", service.PassingWeight);
        w.WriteNumber("Warning", service.WarningWeight);
        w.WriteEndObject();
    }

    private static void WriteProxy(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteString("Mode", string.Empty);
        WriteEmptyObject(w, "MeshGateway");
        WriteEmptyObject(w, "Expose");
        w.WriteEndObject();
    }

    private static void WriteEmptyObject(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteEndObject();
    }
}
