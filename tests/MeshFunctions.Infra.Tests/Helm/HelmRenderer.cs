using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>
/// Renders infra/helm/meshfunctions with tests/helm-render (Go text/template + sprig + gojsonschema, as Helm),
/// built once per test run from Debian's Go packages (eng/test.sh installs them).
/// </summary>
internal static class HelmRenderer
{
    public const string Namespace = "mf-system";
    public const string Release = "mesh";

    private static readonly Lazy<string> Binary = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static HelmRender Render(params string[] overlays) => RenderAgainst([], overlays);

    /// <summary>Renders as <c>helm upgrade</c> would against a cluster holding <paramref name="existing"/> (what <c>lookup</c> finds).</summary>
    public static HelmRender RenderAgainst(IReadOnlyList<JsonObject> existing, params string[] overlays)
    {
        var args = new List<string> { "-name", Release, "-namespace", Namespace, "-notes" };
        var files = new List<string>();
        if (existing.Count > 0)
        {
            var file = Path.Combine(Path.GetTempPath(), $"mf-existing-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(file, YamlWriter.WriteDocuments(existing));
            files.Add(file);
            args.AddRange(["-existing", file]);
        }

        foreach (var overlay in overlays)
        {
            var file = Path.Combine(Path.GetTempPath(), $"mf-values-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(file, overlay);
            files.Add(file);
            args.AddRange(["-f", file]);
        }

        args.Add(RepoPaths.Chart);
        try
        {
            var (code, stdout, stderr) = ProcessRunner.Run(Binary.Value, args, Environment.CurrentDirectory);
            var objects = code == 0
                ? YamlReader.Read(stdout, "rendered").Select(d => d.Root).OfType<JsonObject>().ToList()
                : [];
            return new HelmRender(code, stdout, stderr, objects);
        }
        finally
        {
            files.ForEach(File.Delete);
        }
    }

    private static string Build()
    {
        var source = RepoPaths.Combine("tests", "helm-render");
        var output = Path.Combine(AppContext.BaseDirectory, "helm-render-bin");
        var go = File.Exists("/usr/bin/go") ? "/usr/bin/go" : "go";
        var env = new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOPATH"] = "/usr/share/gocode",
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "mf-go-build-cache"),
            ["GOFLAGS"] = string.Empty,
        };
        try
        {
            var (code, stdout, stderr) = ProcessRunner.Run(go, ["build", "-o", output, "."], source, env);
            if (code != 0)
            {
                throw new TestDependencyMissingException($"building tests/helm-render failed ({code}): {stderr}{stdout}\nInstall golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-github-xeipuuv-gojsonschema-dev (eng/test.sh does).");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TestDependencyMissingException($"go is not installed ({e.Message}): apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-github-xeipuuv-gojsonschema-dev (eng/test.sh does)");
        }

        return output;
    }
}
