using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;

namespace MeshFunctions.Discovery;

/// <summary>
/// Loads a kubeconfig with a plain YamlDotNet deserializer of the kubeconfig types (their <c>[YamlMember]</c> names)
/// instead of <see cref="KubernetesClientConfiguration.BuildConfigFromConfigFile(string, string, string, bool)"/>, whose
/// YAML reader first builds naming overrides for every Kubernetes model type: ~50,000 attribute mappings and ~8,000
/// loaded types, ~3 MB of managed heap and more in type data, kept for the life of the process although Discovery
/// never reads Kubernetes YAML again (tests/bench/README.md, discovery). The in-cluster configuration reads no YAML.
/// </summary>
internal static class KubeconfigFile
{
    public static KubernetesClientConfiguration Load(string path)
    {
        var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        var config = deserializer.Deserialize<K8SConfiguration>(File.ReadAllText(path));
        config.FileName = Path.GetFullPath(path);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
    }
}
