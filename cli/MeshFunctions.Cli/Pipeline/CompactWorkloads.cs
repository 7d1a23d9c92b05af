using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Cli.Pipeline;

/// <summary>
/// Keeps the workloads of a large input as compact UTF-8 JSON while the rest of the input is read, so no whole-input
/// tree of workloads is alive: <see cref="Reduce"/> (the reader's per-object hook) stores each workload and leaves a
/// stub with its apiVersion, kind, name and namespace; <see cref="Expand"/> gives a fresh tree back, one at a time.
/// </summary>
internal sealed class CompactWorkloads
{
    private readonly Dictionary<Manifest, byte[]> _stored = new(ReferenceEqualityComparer.Instance);

    public Manifest Reduce(Manifest manifest)
    {
        if (manifest.Resource is not null || !Workloads.IsWorkload(manifest.Object))
        {
            return manifest;
        }

        var stub = Workloads.KeyOnly(manifest);
        _stored[stub] = JsonSerializer.SerializeToUtf8Bytes(manifest.Object);
        return stub;
    }

    /// <summary>The whole object of <paramref name="manifest"/> (a stored workload is parsed again, and its storage released).</summary>
    public Manifest Expand(Manifest manifest)
    {
        if (!_stored.Remove(manifest, out var bytes))
        {
            return manifest;
        }

        return manifest with { Object = JsonNode.Parse(bytes)!.AsObject() };
    }
}
