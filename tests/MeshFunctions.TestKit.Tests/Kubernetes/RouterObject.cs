using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

/// <summary>A Router custom resource as a client-side typed object (spec and status kept as raw JSON).</summary>
public sealed class RouterObject : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "router.service-mesh.zhihu.com";
    public const string Version = "v1";
    public const string Plural = "routers";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Router";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }

    public static RouterObject Create(string name, string host = "svc.default.svc.cluster.local", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new JsonObject { ["host"] = host },
    };
}
