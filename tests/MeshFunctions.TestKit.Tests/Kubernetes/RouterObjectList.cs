using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MeshFunctions.TestKit.Tests.Kubernetes;

/// <summary>The list type for <see cref="RouterObject"/>.</summary>
public sealed class RouterObjectList : IKubernetesObject<V1ListMeta>, IItems<RouterObject>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = RouterObject.Group + "/" + RouterObject.Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "RouterList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<RouterObject> Items { get; set; } = [];
}
