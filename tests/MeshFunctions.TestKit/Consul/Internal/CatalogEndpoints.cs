namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>Catalog, health, status and agent-self reads.</summary>
internal static class CatalogEndpoints
{
    public static ConsulAnswer Services(ConsulState state) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartObject();
            foreach (var (name, tags) in state.ServiceNames())
            {
                ConsulJson.WriteStrings(w, name, tags);
            }

            w.WriteEndObject();
        }), ConsulAnswer.Json, state.CatalogIndex());

    public static ConsulAnswer Service(ConsulState state, string name, IReadOnlyList<string> tags) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartArray();
            foreach (var instance in state.Instances(name).Where(i => HasTags(i, tags)))
            {
                ConsulJson.WriteCatalogService(w, instance, state.Datacenter);
            }

            w.WriteEndArray();
        }), ConsulAnswer.Json, state.ServiceIndex(name, includeChecks: false));

    public static ConsulAnswer Health(ConsulState state, string name, IReadOnlyList<string> tags, bool passingOnly) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartArray();
            foreach (var instance in state.Instances(name).Where(i => HasTags(i, tags)))
            {
                // filterNonPassing: any non-passing check (warning included) drops the instance.
                if (passingOnly && instance.Checks.Any(c => c.Status != ConsulHealth.Passing))
                {
                    continue;
                }

                ConsulJson.WriteHealthEntry(w, instance, state.Datacenter);
            }

            w.WriteEndArray();
        }), ConsulAnswer.Json, state.ServiceIndex(name, includeChecks: true));

    public static ConsulAnswer Leader(string leader) =>
        new(200, JsonBytes.Write(w => w.WriteStringValue(leader)), ConsulAnswer.Json, null);

    public static ConsulAnswer Peers(string leader) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartArray();
            if (leader.Length > 0)
            {
                w.WriteStringValue(leader);
            }

            w.WriteEndArray();
        }), ConsulAnswer.Json, null);

    public static ConsulAnswer AgentSelf(FakeConsulOptions options) =>
        new(200, JsonBytes.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("Config");
            w.WriteString("Datacenter", options.Datacenter);
            w.WriteString("PrimaryDatacenter", options.Datacenter);
            w.WriteString("NodeName", options.NodeName);
            w.WriteString("NodeID", ConsulState.NodeIdFor(options.NodeName));
            w.WriteString("Revision", "fakeconsul");
            w.WriteBoolean("Server", true);
            w.WriteString("Version", options.Version);
            w.WriteString("BuildDate", "2025-01-01T00:00:00Z");
            w.WriteEndObject();
            w.WriteStartObject("DebugConfig");
            w.WriteString("Datacenter", options.Datacenter);
            w.WriteString("NodeName", options.NodeName);
            w.WriteEndObject();
            w.WriteStartObject("Coord");
            w.WriteStartArray("Vec");
            for (var i = 0; i < 8; i++)
            {
                w.WriteNumberValue(0);
            }

            w.WriteEndArray();
            w.WriteNumber("Error", 1.5);
            w.WriteNumber("Adjustment", 0);
            w.WriteNumber("Height", 1e-05);
            w.WriteEndObject();
            w.WriteStartObject("Member");
            w.WriteString("Name", options.NodeName);
            w.WriteString("Addr", options.NodeAddress);
            w.WriteNumber("Port", 8301);
            w.WriteStartObject("Tags");
            w.WriteString("dc", options.Datacenter);
            w.WriteString("role", "consul");
            w.WriteString("build", options.Version + ":fakeconsul");
            w.WriteEndObject();
            w.WriteNumber("Status", 1);
            w.WriteEndObject();
            w.WriteStartObject("Meta");
            w.WriteString("consul-network-segment", string.Empty);
            w.WriteString("consul-version", options.Version);
            w.WriteEndObject();
            w.WriteEndObject();
        }), ConsulAnswer.Json, null);

    /// <summary>Tag filters are ANDed and compared case-insensitively (Consul's <c>serviceTagFilter</c>).</summary>
    private static bool HasTags(ServiceInstance instance, IReadOnlyList<string> tags) =>
        tags.All(tag => instance.Service.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)));
}
