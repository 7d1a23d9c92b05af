using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;
using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Infra.Tests.Crds;

/// <summary>
/// Our CRDs (and Istio's bundle) applied to the API stand-in, then the seed's examples and infra/samples created
/// through the real client: everything valid is stored with no field pruned, and what the schema rejects core's
/// parser rejects too (the schema is never looser than the shape and never stricter than core).
/// </summary>
public sealed class CrdSchemaTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private k8s.Kubernetes _client = null!;
    private Dictionary<string, string> _plurals = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _client = _api.CreateClient();
        var names = _api.InstallMeshAndIstioCrds();
        _plurals = names.ToDictionary(n => n, n => n[..n.IndexOf('.', StringComparison.Ordinal)]);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    public static TheoryData<string> SampleFiles =>
    [
        .. Directory.GetFiles(Path.Combine(RepoPaths.Infra, "samples"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Infra, f))
            .Where(f => !f.Contains("broken", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task Create_Sample_AcceptedWithNothingPruned(string file)
    {
        var created = 0;
        foreach (var obj in Documents(Path.Combine(RepoPaths.Infra, file)))
        {
            if (PluralOf(obj) is not { } plural)
            {
                continue; // built-in kinds (Namespace, Deployment…) are not schema-checked by the stand-in
            }

            var stored = await Create(obj, plural);
            Assert.True(JsonNode.DeepEquals(obj["spec"], stored["spec"]), $"{file}: {obj["kind"]} {obj["metadata"]!["name"]}: the schema pruned or changed spec:\n{obj["spec"]}\nvs\n{stored["spec"]}");
            created++;
        }

        Assert.True(created > 0 || file.Contains("workloads", StringComparison.Ordinal) || file.Contains("namespace", StringComparison.Ordinal), $"{file} holds no custom resource");
    }

    public static TheoryData<string, string, string> BadObjects => new()
    {
        { "router port as text", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: web, subsets: [{branch: master}]}", "spec.port" },
        { "router port out of range", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 70000, subsets: [{branch: master}]}", "spec.port" },
        { "router protocol unknown", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80, protocol: udp, subsets: [{branch: master}]}", "spec.protocol" },
        { "router without subsets", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80}", "spec.subsets" },
        { "router branch upper-case", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80, subsets: [{branch: Master}]}", "spec.subsets[0].branch" },
        { "router branch twice", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80, subsets: [{branch: master}, {branch: master}]}", "spec.subsets[1]" },
        { "router weight over 100", "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80, subsets: [{branch: master, versions: {v1: 101}}]}", "spec.subsets[0].versions.v1" },
        { "ratelimit unit unknown", "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata: {name: q}\nspec: {hosts: [a.b.svc.cluster.local], quota: 1, unit: FORTNIGHT}", "spec.unit" },
        { "ratelimit negative quota", "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata: {name: q}\nspec: {hosts: [a.b.svc.cluster.local], quota: -1}", "spec.quota" },
        { "ratelimit stage 11", "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata: {name: q}\nspec: {hosts: [a.b.svc.cluster.local], quota: 1, stage: 11}", "spec.stage" },
        { "ratelimit no hosts", "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata: {name: q}\nspec: {hosts: [], quota: 1}", "spec.hosts" },
        { "ratelimit header matchType", "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata: {name: q}\nspec: {hosts: [a], quota: 1, match: {headers: [{key: x, matchType: glob, value: y}]}}", "spec.match.headers[0].matchType" },
        { "filter without target", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {timeout: 1s}", "spec.targetRef" },
        { "filter target kind", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {kind: Service, name: web}, timeout: 1s}", "spec.targetRef.kind" },
        { "filter abort status", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, fault: {abort: {httpStatus: 700}}}", "spec.fault.abort.httpStatus" },
        { "filter percent 150", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, mirror: {branch: box-1, percentage: {value: 150}}}", "spec.mirror.percentage.value" },
        { "filter lb simple", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, loadBalancer: {simple: FASTEST}}", "spec.loadBalancer.simple" },
        { "filter retries as text", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, retries: {attempts: many}}", "spec.retries.attempts" },
        { "filter access log without enabled", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, accessLog: {providers: [envoy]}}", "spec.accessLog.enabled" },
        { "filter local limit zero", "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata: {name: f}\nspec: {targetRef: {name: web}, localRateLimit: {tokensPerFill: 0}}", "spec.localRateLimit.tokensPerFill" },
    };

    [Theory]
    [MemberData(nameof(BadObjects))]
    public async Task Create_BadObject_SchemaRejects422AtFieldAndCoreRejectsToo(string why, string yaml, string field)
    {
        var obj = Documents(yaml).Single();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Create(obj, PluralOf(obj)!));

        Assert.Equal(422, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Contains(field, status.Details.Causes.Select(c => c.Field));
        var parsed = ManifestParser.Parse(yaml);
        Assert.True(parsed.HasErrors, $"{why}: the schema rejects it but core's parser accepts it: the schema is stricter than core");
    }

    [Fact]
    public async Task Create_UnknownSpecField_PrunedByTheServerAndRejectedByCore()
    {
        const string yaml = "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata: {name: web}\nspec: {port: 80, weight: 5, subsets: [{branch: master}]}";
        var obj = Documents(yaml).Single();

        var stored = await Create(obj, "routers");

        Assert.False(stored["spec"]!.AsObject().ContainsKey("weight"));
        Assert.Contains(ManifestParser.Parse(yaml).Diagnostics, d => d.Message.Contains("unknown field 'weight'", StringComparison.Ordinal));
    }

    [Fact]
    public void PrinterColumns_PointAtFieldsTheSchemaDeclares()
    {
        foreach (var definition in CrdDefinitions.All)
        {
            var schema = CrdGenerator.Build(definition)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
            foreach (var (name, _, path, _) in definition.Columns.Where(c => !c.JsonPath.StartsWith(".metadata.", StringComparison.Ordinal)))
            {
                JsonNode? node = schema;
                foreach (var segment in System.Text.RegularExpressions.Regex.Replace(path, @"\[[^\]]*\]", string.Empty).TrimStart('.').Split('.'))
                {
                    node = node?["properties"]?[segment] ?? node?["items"]?["properties"]?[segment];
                }

                Assert.True(node is not null, $"{definition.Kind} column {name}: {path} is not in the schema");
            }
        }
    }

    private string? PluralOf(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var kind = ((string?)obj["kind"] ?? string.Empty).ToLowerInvariant();
        return _plurals.Keys.FirstOrDefault(n => n == kind + "s." + group || n == kind + "es." + group || n == kind[..^1] + "ies." + group) is { } name ? _plurals[name] : null;
    }

    private async Task<JsonObject> Create(JsonObject obj, string plural)
    {
        var apiVersion = (string)obj["apiVersion"]!;
        var group = apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)];
        var version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var ns = (string?)obj["metadata"]!["namespace"] ?? "default";
        var created = await _client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, group, version, ns, plural);
        return JsonNode.Parse(JsonSerializer.Serialize(created))!.AsObject();
    }

    private static IEnumerable<JsonObject> Documents(string pathOrYaml)
    {
        var text = File.Exists(pathOrYaml) ? File.ReadAllText(pathOrYaml) : pathOrYaml;
        return YamlReader.Read(text).Select(d => d.Root).OfType<JsonObject>();
    }
}
