using System.Text.Json.Nodes;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>One render of the chart: exit code, output, and the rendered objects (empty on failure).</summary>
internal sealed record HelmRender(int ExitCode, string Stdout, string Stderr, IReadOnlyList<JsonObject> Objects)
{
    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        Objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    public JsonObject? Find(string kind, string name) =>
        Objects.SingleOrDefault(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    /// <summary>The container of a component's Deployment.</summary>
    public JsonObject Container(string component) =>
        Single("Deployment", $"{HelmRenderer.Release}-{component}")["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    public string? Env(string component, string name) =>
        (string?)Container(component)["env"]?.AsArray().SingleOrDefault(e => (string?)e!["name"] == name)?["value"];
}
