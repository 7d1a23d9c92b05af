using System.Text.Json;
using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Discovery.Answers;

/// <summary>
/// Writes the mesh answer — one instance at the target's ServiceIP and port — in the exact shapes of
/// <c>/v1/catalog/service</c>, <c>/v1/health/service</c> and <c>/v1/health/checks</c> (field order and kinds as
/// captured from Consul 1.17/1.21; lists never null).
/// </summary>
internal static class MeshJson
{
    public const string CheckId = "meshfunctions:ready-endpoints";

    public static byte[] Write(ServiceEndpoint endpoint, string service, TargetState target, IReadOnlyList<string> tags, bool empty, string datacenter, string node, ulong index)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            if (!empty)
            {
                var instance = new Instance(service, target, tags, datacenter, node, index);
                switch (endpoint)
                {
                    case ServiceEndpoint.Catalog:
                        WriteCatalog(json, instance);
                        break;
                    case ServiceEndpoint.Health:
                        WriteHealth(json, instance);
                        break;
                    default:
                        WriteCheck(json, instance);
                        break;
                }
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void WriteCatalog(Utf8JsonWriter json, Instance i)
    {
        json.WriteStartObject();
        json.WriteString("ID", string.Empty);
        json.WriteString("Node", i.Node);
        json.WriteString("Address", i.Ip);
        json.WriteString("Datacenter", i.Datacenter);
        WriteNodeAddresses(json, "TaggedAddresses", i.Ip);
        WriteNodeMeta(json, "NodeMeta");
        json.WriteString("ServiceKind", string.Empty);
        json.WriteString("ServiceID", i.ServiceId);
        json.WriteString("ServiceName", i.Service);
        WriteTags(json, "ServiceTags", i.Tags);
        json.WriteString("ServiceAddress", i.Ip);
        WriteServiceAddresses(json, "ServiceTaggedAddresses", i);
        WriteWeights(json, "ServiceWeights");
        WriteServiceMeta(json, "ServiceMeta", i);
        json.WriteNumber("ServicePort", i.Port);
        json.WriteString("ServiceSocketPath", string.Empty);
        json.WriteBoolean("ServiceEnableTagOverride", false);
        WriteProxy(json, "ServiceProxy");
        json.WriteStartObject("ServiceConnect");
        json.WriteEndObject();
        json.WriteNull("ServiceLocality");
        WriteIndexes(json, i.Index);
        json.WriteEndObject();
    }

    private static void WriteHealth(Utf8JsonWriter json, Instance i)
    {
        json.WriteStartObject();
        json.WriteStartObject("Node");
        json.WriteString("ID", string.Empty);
        json.WriteString("Node", i.Node);
        json.WriteString("Address", i.Ip);
        json.WriteString("Datacenter", i.Datacenter);
        WriteNodeAddresses(json, "TaggedAddresses", i.Ip);
        WriteNodeMeta(json, "Meta");
        WriteIndexes(json, i.Index);
        json.WriteEndObject();
        json.WriteStartObject("Service");
        json.WriteString("ID", i.ServiceId);
        json.WriteString("Service", i.Service);
        WriteTags(json, "Tags", i.Tags);
        json.WriteString("Address", i.Ip);
        WriteServiceAddresses(json, "TaggedAddresses", i);
        WriteServiceMeta(json, "Meta", i);
        json.WriteNumber("Port", i.Port);
        WriteWeights(json, "Weights");
        json.WriteBoolean("EnableTagOverride", false);
        WriteProxy(json, "Proxy");
        json.WriteStartObject("Connect");
        json.WriteEndObject();
        json.WriteString("PeerName", string.Empty);
        WriteIndexes(json, i.Index);
        json.WriteEndObject();
        json.WriteStartArray("Checks");
        WriteCheck(json, i);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter json, Instance i)
    {
        json.WriteStartObject();
        json.WriteString("Node", i.Node);
        json.WriteString("CheckID", CheckId);
        json.WriteString("Name", "Kubernetes ready endpoints");
        json.WriteString("Status", "passing");
        json.WriteString("Notes", "Answered by MeshFunctions Discovery: the Service's ClusterIP inside the mesh.");
        json.WriteString("Output", $"{i.Target.ReadyEndpoints} ready endpoints behind {i.Target.Namespace}/{i.Target.Name}");
        json.WriteString("ServiceID", i.ServiceId);
        json.WriteString("ServiceName", i.Service);
        WriteTags(json, "ServiceTags", i.Tags);
        json.WriteString("Type", string.Empty);
        json.WriteString("Interval", string.Empty);
        json.WriteString("Timeout", string.Empty);
        json.WriteNumber("ExposedPort", 0);
        json.WriteStartObject("Definition");
        json.WriteEndObject();
        WriteIndexes(json, i.Index);
        json.WriteEndObject();
    }

    private static void WriteNodeAddresses(Utf8JsonWriter json, string name, string ip)
    {
        json.WriteStartObject(name);
        json.WriteString("lan", ip);
        json.WriteString("lan_ipv4", ip);
        json.WriteString("wan", ip);
        json.WriteString("wan_ipv4", ip);
        json.WriteEndObject();
    }

    private static void WriteServiceAddresses(Utf8JsonWriter json, string name, Instance i)
    {
        json.WriteStartObject(name);
        foreach (var key in (ReadOnlySpan<string>)["lan_ipv4", "wan_ipv4"])
        {
            json.WriteStartObject(key);
            json.WriteString("Address", i.Ip);
            json.WriteNumber("Port", i.Port);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteNodeMeta(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteString("external-source", "kubernetes");
        json.WriteEndObject();
    }

    private static void WriteServiceMeta(Utf8JsonWriter json, string name, Instance i)
    {
        json.WriteStartObject(name);
        json.WriteString("external-source", "kubernetes");
        json.WriteString("k8s-namespace", i.Target.Namespace);
        json.WriteString("meshfunctions-answer", "mesh");
        json.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter json, string name, IReadOnlyList<string> tags)
    {
        json.WriteStartArray(name);
        foreach (var tag in tags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
    }

    private static void WriteWeights(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteNumber("Passing", 1);
        json.WriteNumber("Warning", 1);
        json.WriteEndObject();
    }

    private static void WriteProxy(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteString("Mode", string.Empty);
        json.WriteStartObject("MeshGateway");
        json.WriteEndObject();
        json.WriteStartObject("Expose");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteIndexes(Utf8JsonWriter json, ulong index)
    {
        json.WriteNumber("CreateIndex", index);
        json.WriteNumber("ModifyIndex", index);
    }

    private sealed record Instance(string Service, TargetState Target, IReadOnlyList<string> Tags, string Datacenter, string Node, ulong Index)
    {
        public string Ip => Target.ServiceIp!;

        public int Port => Target.Port;

        public string ServiceId => Service + "-mesh";
    }
}
