using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>
/// Applying CRDs: an applied CRD (through the API or these helpers) makes the fake serve its resources and
/// validate every write of them against its <c>openAPIV3Schema</c> (422 Invalid with <c>details.causes</c>,
/// unknown fields pruned), as kube-apiserver does.
/// </summary>
public sealed partial class FakeKubernetesApi
{
    /// <summary>Environment variable naming Istio's CRD bundle (<c>crd-all.gen.yaml</c>), set by eng/test.sh.</summary>
    public const string IstioCrdsVariable = "ISTIO_CRDS";

    private static readonly ConcurrentDictionary<string, Lazy<JsonObject[]>> CrdFiles = new(StringComparer.Ordinal);

    /// <summary>Applies every <c>CustomResourceDefinition</c> in <paramref name="path"/> (other documents are ignored); returns their names.</summary>
    /// <exception cref="ArgumentException">A CRD is invalid or already applied.</exception>
    public IReadOnlyList<string> InstallCrds(string path)
    {
        var full = Path.GetFullPath(path);
        var crds = CrdFiles.GetOrAdd(full, p => new Lazy<JsonObject[]>(() => ReadCrds(p))).Value;
        var names = new List<string>();
        foreach (var crd in crds)
        {
            var stored = Seed(crd);
            names.Add(NameOf(stored));
        }

        return names;
    }

    /// <summary>
    /// Applies MeshFunctions' CRDs (<c>infra/crds/*.yaml</c> of the repository holding <c>MeshFunctions.sln</c>) and
    /// Istio's bundle (<see cref="IstioCrdsVariable"/>) in one call; returns the CRD names.
    /// </summary>
    /// <exception cref="TestDependencyMissingException">The repository or the Istio bundle cannot be found.</exception>
    public IReadOnlyList<string> InstallMeshAndIstioCrds()
    {
        var names = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            names.AddRange(InstallCrds(file));
        }

        var istio = Environment.GetEnvironmentVariable(IstioCrdsVariable);
        if (string.IsNullOrEmpty(istio) || !File.Exists(istio))
        {
            throw new TestDependencyMissingException($"{IstioCrdsVariable} must name Istio's crd-all.gen.yaml (eng/test.sh sets it to ../shared/istio/crd-all.gen.yaml); got '{istio}'");
        }

        names.AddRange(InstallCrds(istio));
        return names;
    }

    private static string NameOf(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? string.Empty;

    private static JsonObject[] ReadCrds(string path) =>
        YamlReader.Read(File.ReadAllText(path), path)
            .Select(d => d.Root)
            .OfType<JsonObject>()
            .Where(o => (string?)o["kind"] == "CustomResourceDefinition")
            .ToArray();
}
