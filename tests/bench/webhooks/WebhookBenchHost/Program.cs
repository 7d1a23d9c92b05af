// Bench host for tests/bench/webhooks/run.sh (not part of the product): the real webhook server composition plus an
// EMPTY handler (/empty, EmptyAdmission: reads the body, answers an allowed AdmissionReview echoing the uid) on the same Kestrel TLS listener,
// against the Kubernetes stand-in seeded with COUNT VirtualServices and COUNT DestinationRules. Prints the managed
// memory the synced cache holds, writes review bodies into the work directory, then serves until killed.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Kubernetes;
using MeshFunctions.Webhooks.Bench;
using MeshFunctions.Webhooks;
using MeshFunctions.Webhooks.Cache;

var work = args[0];
var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
Directory.CreateDirectory(Path.Combine(work, "certs"));
using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
{
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
    var names = new SubjectAlternativeNameBuilder();
    names.AddIpAddress(IPAddress.Loopback);
    request.CertificateExtensions.Add(names.Build());
    using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    File.WriteAllText(Path.Combine(work, "certs", "tls.crt"), cert.ExportCertificatePem());
    File.WriteAllText(Path.Combine(work, "certs", "tls.key"), key.ExportPkcs8PrivateKeyPem());
}

await using var api = await FakeKubernetesApi.StartAsync();
for (var i = 0; i < count; i++)
{
    var ns = "ns" + (i % 200);
    var host = $"svc{i}.{ns}.svc.cluster.local";
    api.Seed(Obj("DestinationRule", "dr" + i, ns, new JsonObject { ["host"] = host, ["subsets"] = new JsonArray(Subset("v1"), Subset("v2")) }));
    api.Seed(Obj("VirtualService", "vs" + i, ns, new JsonObject
    {
        ["hosts"] = new JsonArray(host),
        ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(Dest(host, "v1", 90), Dest(host, "v2", 10)) }),
    }));
}

api.WriteKubeconfig(Path.Combine(work, "kubeconfig"));
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var before = GC.GetTotalMemory(forceFullCollection: true);
var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Webhooks:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Webhooks:ListenAddress"] = "127.0.0.1",
    ["Webhooks:CertificateDirectory"] = Path.Combine(work, "certs"),
    ["Webhooks:Kubeconfig"] = Path.Combine(work, "kubeconfig"),
    ["Webhooks:ManagedObjects:ServiceAccountUsername"] = "system:serviceaccount:meshfunctions:meshfunctions",
    ["Webhooks:PublishEvents"] = "false",
});
builder.Logging.ClearProviders();
builder.AddWebhookServer();
var app = builder.Build();
app.MapWebhooks();
app.MapPost("/empty", context => EmptyAdmission.HandleAsync(context.Request.Body, context.Response.Body, type => context.Response.ContentType = type));
await app.StartAsync();
var cache = app.Services.GetRequiredService<ClusterCache>();
while (!cache.IsSynced)
{
    await Task.Delay(100);
}

_ = cache.VirtualServices.Current;
_ = cache.DestinationRules.Current;
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var after = GC.GetTotalMemory(forceFullCollection: true);
File.WriteAllText(Path.Combine(work, "pod.json"), Review("CREATE", JsonNode.Parse("""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1","labels":{"istio-injection":"enabled","app":"p"}},
     "spec":{"containers":[{"name":"app","image":"x","lifecycle":{"preStop":{"exec":{"command":["sleep","30"]}}}}]}}
    """)!.AsObject()));
// The same pod as stored after its mutation (a pod from an already-mutated template, or a reinvocation): nothing to do.
File.WriteAllText(Path.Combine(work, "pod-mutated.json"), Review("CREATE", JsonNode.Parse("""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1","labels":{"istio-injection":"enabled","app":"p","sidecar.istio.io/inject":"true"},
     "annotations":{"proxy.istio.io/config":"{\"holdApplicationUntilProxyStarts\":true,\"terminationDrainDuration\":\"5s\"}"}},
     "spec":{"containers":[{"name":"app","image":"x","lifecycle":{"preStop":{"exec":{"command":["sleep","30"]}}}},
      {"name":"istio-proxy","lifecycle":{"postStart":{"exec":{"command":["pilot-agent","wait"]}},"preStop":{"exec":{"command":["sleep","35"]}}}}],
      "terminationGracePeriodSeconds":40}}
    """)!.AsObject()));
File.WriteAllText(Path.Combine(work, "vs.json"), Review("UPDATE", Obj("VirtualService", "vs1", "ns1", new JsonObject
{
    ["hosts"] = new JsonArray("svc1.ns1.svc.cluster.local"),
    ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(Dest("svc1.ns1.svc.cluster.local", "v1", 50), Dest("svc1.ns1.svc.cluster.local", "v2", 50)) }),
})));
Console.WriteLine($"READY objects={cache.VirtualServices.Current.All.Count + cache.DestinationRules.Current.All.Count} cache_mb={(after - before) / 1024.0 / 1024.0:F1}");
await app.WaitForShutdownAsync();

static JsonObject Subset(string name) => new() { ["name"] = name, ["labels"] = new JsonObject { ["version"] = name } };

static JsonObject Dest(string host, string subset, int weight) =>
    new() { ["destination"] = new JsonObject { ["host"] = host, ["subset"] = subset }, ["weight"] = weight };

static JsonObject Obj(string kind, string name, string ns, JsonObject spec) => new()
{
    ["apiVersion"] = "networking.istio.io/v1",
    ["kind"] = kind,
    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
    ["spec"] = spec,
};

static string Review(string op, JsonObject obj)
{
    var kind = (string)obj["kind"]!;
    var apiVersion = (string)obj["apiVersion"]!;
    var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : string.Empty;
    return new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "0b1c9a4e-bench",
            ["kind"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["kind"] = kind },
            ["resource"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["resource"] = kind.ToLowerInvariant() + "s" },
            ["namespace"] = (string)obj["metadata"]!["namespace"]!,
            ["name"] = (string)obj["metadata"]!["name"]!,
            ["operation"] = op,
            ["userInfo"] = new JsonObject { ["username"] = "alice" },
            ["object"] = obj,
            ["oldObject"] = op == "UPDATE" ? obj.DeepClone() : null,
            ["dryRun"] = false,
        },
    }.ToJsonString();
}
