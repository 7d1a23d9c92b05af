using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>The chart's own templates rendered as Helm does, for the defaults and each overlay, then checked.</summary>
public sealed class HelmChartTests
{
    public static TheoryData<string, string> Overlays => new()
    {
        { "defaults", string.Empty },
        { "external redis with password and TLS", "redis:\n  mode: external\n  external: {address: redis.example.com:6380}\n  passwordSecret: {name: redis-auth}\n  tls: true\n" },
        { "redis sentinel", "redis:\n  mode: sentinel\n  sentinel: {masterName: mymaster, addresses: [s1:26379, s2:26379]}\n" },
        { "redis cluster", "redis:\n  mode: cluster\n  cluster: {addresses: [n1:6379, n2:6379, n3:6379]}\n" },
        { "cert-manager off", "tls: {mode: selfSigned}\n" },
        { "cert-manager with own issuer", "tls:\n  certManager:\n    issuerRef: {kind: ClusterIssuer, name: corp-ca}\n" },
        { "azure functions mode", "functions: {mode: azureFunctions}\n" },
        { "single replicas, no policies", "webhooks: {replicas: 1}\ndiscovery: {replicas: 1}\nrls: {replicas: 1}\nnetworkPolicies: {enabled: false}\nglobal: {topologySpread: {enabled: false}}\n" },
    };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Render_Overlay_EveryObjectParsesAndValidates(string name, string overlay)
    {
        var render = HelmRenderer.Render(overlay);

        Assert.True(render.ExitCode == 0, $"{name}: {render.Stderr}");
        Assert.NotEmpty(render.Objects);
        var errors = await RenderedObjectValidator.ValidateAsync(render.Objects);
        Assert.True(errors.Count == 0, $"{name}:\n" + string.Join("\n", errors));
        Assert.All(render.Objects, o => Assert.False(string.IsNullOrEmpty((string?)o["metadata"]?["name"])));
        Assert.Equal(render.Objects.Count, render.Objects.Select(o => $"{o["kind"]}/{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}").Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Render_Overlay_ServicesAndBudgetsSelectTheirPodsAndNamedPorts(string name, string overlay)
    {
        var render = HelmRenderer.Render(overlay);
        var deployments = render.OfKind("Deployment").ToList();

        foreach (var service in render.OfKind("Service").Concat(render.OfKind("PodDisruptionBudget")))
        {
            var selector = (service["spec"]!["selector"]!["matchLabels"] ?? service["spec"]!["selector"])!.AsObject();
            var target = deployments.SingleOrDefault(d => selector.All(l => (string?)d["spec"]!["template"]!["metadata"]!["labels"]![l.Key] == (string?)l.Value));
            Assert.True(target is not null, $"{name}: {service["kind"]} {service["metadata"]!["name"]} selects no Deployment's pods");
            var ports = target["spec"]!["template"]!["spec"]!["containers"]!.AsArray().SelectMany(c => c!["ports"]?.AsArray() ?? []).Select(p => (string?)p!["name"]).ToHashSet();
            foreach (var port in service["spec"]!["ports"]?.AsArray() ?? [])
            {
                Assert.Contains((string?)port!["targetPort"], ports);
            }
        }

        foreach (var deployment in deployments)
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, $"{deployment["metadata"]!["name"]} runs as root");
            foreach (var container in pod["containers"]!.AsArray())
            {
                Assert.True((bool)container!["securityContext"]!["readOnlyRootFilesystem"]!);
                Assert.NotNull(container["resources"]!["requests"]);
                Assert.NotNull(container["livenessProbe"]);
                Assert.NotNull(container["readinessProbe"]);
            }
        }
    }

    [Fact]
    public void Render_Defaults_WebhooksSkipKubeSystemAndOwnNamespaceAndSortBeforeIstio()
    {
        var render = HelmRenderer.Render();
        var configurations = render.OfKind("MutatingWebhookConfiguration").Concat(render.OfKind("ValidatingWebhookConfiguration")).ToList();

        Assert.Equal(2, configurations.Count);
        var mutating = render.OfKind("MutatingWebhookConfiguration").Single();
        Assert.True(string.CompareOrdinal((string)mutating["metadata"]!["name"]!, "istio-revision-tag-default") < 0);
        Assert.True(string.CompareOrdinal((string)mutating["metadata"]!["name"]!, "istio-sidecar-injector") < 0);
        var service = render.Single("Service", $"{HelmRenderer.Release}-webhooks");
        foreach (var webhook in configurations.SelectMany(c => c["webhooks"]!.AsArray()))
        {
            var excluded = webhook!["namespaceSelector"]!["matchExpressions"]!.AsArray()
                .Single(e => (string?)e!["key"] == "kubernetes.io/metadata.name" && (string?)e["operator"] == "NotIn")!["values"]!.AsArray().Select(v => (string?)v).ToList();
            Assert.Contains("kube-system", excluded);
            Assert.Contains(HelmRenderer.Namespace, excluded);
            Assert.Contains((string?)webhook["sideEffects"], new[] { "None", "NoneOnDryRun" });
            Assert.InRange((long)webhook["timeoutSeconds"]!, 1, 30);
            Assert.Equal("v1", (string?)webhook["admissionReviewVersions"]![0]);
            Assert.Equal((string?)service["metadata"]!["name"], (string?)webhook["clientConfig"]!["service"]!["name"]);
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (long)p!["port"]! == (long)webhook["clientConfig"]!["service"]!["port"]!);
        }

    }

    [Fact]
    public void Render_Defaults_WebhooksMatchTheWebhooksOwnConfiguration()
    {
        var render = HelmRenderer.Render();
        var own = Directory.GetFiles(RepoPaths.Combine("infra", "webhooks"), "*.yaml")
            .SelectMany(f => YamlReader.Read(File.ReadAllText(f), f)).Select(d => d.Root).OfType<JsonObject>().ToList();
        Assert.Equal(2, own.Count);

        foreach (var configuration in own)
        {
            // Same configuration under the release's name ("meshfunctions" is the release in infra/webhooks).
            var name = ((string)configuration["metadata"]!["name"]!).Replace("meshfunctions", HelmRenderer.Release, StringComparison.Ordinal);
            var chart = render.Single((string)configuration["kind"]!, name);
            var chartHooks = chart["webhooks"]!.AsArray().Select(w => w!.AsObject()).ToList();
            Assert.Equal(configuration["webhooks"]!.AsArray().Select(w => (string?)w!["name"]), chartHooks.Select(w => (string?)w["name"]));
            foreach (var expected in configuration["webhooks"]!.AsArray().Select(w => w!.AsObject()))
            {
                var actual = chartHooks.Single(w => (string?)w["name"] == (string?)expected["name"]);
                Assert.Equal((string?)expected["clientConfig"]!["service"]!["path"], (string?)actual["clientConfig"]!["service"]!["path"]);
                Assert.Equal((long)expected["clientConfig"]!["service"]!["port"]!, (long)actual["clientConfig"]!["service"]!["port"]!);
                foreach (var field in new[] { "rules", "sideEffects", "reinvocationPolicy", "matchPolicy", "failurePolicy", "timeoutSeconds", "admissionReviewVersions" })
                {
                    Assert.True(JsonNode.DeepEquals(expected[field], actual[field]), $"{expected["name"]}.{field}: infra/webhooks {expected[field]?.ToJsonString()}, chart {actual[field]?.ToJsonString()}");
                }

                var excluded = Excluded(actual);
                Assert.All(Excluded(expected).Select(n => n == "meshfunctions" ? HelmRenderer.Namespace : n), n => Assert.Contains(n, excluded));
            }
        }

        static List<string?> Excluded(JsonObject webhook) => webhook["namespaceSelector"]!["matchExpressions"]!.AsArray()
            .Single(e => (string?)e!["key"] == "kubernetes.io/metadata.name" && (string?)e["operator"] == "NotIn")!["values"]!.AsArray().Select(v => (string?)v).ToList();
    }

    [Fact]
    public void Render_CertManager_CaInjectedFromTheCertificateThePodsMount()
    {
        var render = HelmRenderer.Render();

        var certificate = render.Single("Certificate", $"{HelmRenderer.Release}-webhooks");
        foreach (var configuration in render.OfKind("MutatingWebhookConfiguration").Concat(render.OfKind("ValidatingWebhookConfiguration")))
        {
            Assert.Equal($"{HelmRenderer.Namespace}/{HelmRenderer.Release}-webhooks", (string?)configuration["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]);
        }

        var volumes = render.Single("Deployment", $"{HelmRenderer.Release}-webhooks")["spec"]!["template"]!["spec"]!["volumes"]!.AsArray();
        Assert.Contains(volumes, v => (string?)v!["secret"]?["secretName"] == (string?)certificate["spec"]!["secretName"]);
        Assert.Contains($"{HelmRenderer.Release}-webhooks.{HelmRenderer.Namespace}.svc", certificate["spec"]!["dnsNames"]!.AsArray().Select(d => (string?)d));
        Assert.Empty(render.OfKind("Secret"));
    }

    [Fact]
    public void Render_SelfSigned_SecretCaBundleAndChecksumAreOnePairValidForTheService()
    {
        var render = HelmRenderer.Render("tls: {mode: selfSigned}\n");

        var secret = render.Single("Secret", $"{HelmRenderer.Release}-webhooks-tls");
        Assert.Equal("keep", (string?)secret["metadata"]!["annotations"]!["helm.sh/resource-policy"]);
        var ca = (string)secret["data"]!["ca.crt"]!;
        Assert.All(render.OfKind("MutatingWebhookConfiguration").Concat(render.OfKind("ValidatingWebhookConfiguration")).SelectMany(c => c["webhooks"]!.AsArray()),
            w => Assert.Equal(ca, (string?)w!["clientConfig"]!["caBundle"]));
        Assert.Empty(render.OfKind("Certificate"));

        using var caCert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(ca)));
        var crtPem = Encoding.ASCII.GetString(Convert.FromBase64String((string)secret["data"]!["tls.crt"]!));
        var keyPem = Encoding.ASCII.GetString(Convert.FromBase64String((string)secret["data"]!["tls.key"]!));
        using var leaf = X509Certificate2.CreateFromPem(crtPem, keyPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCert);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.MatchesHostname($"{HelmRenderer.Release}-webhooks.{HelmRenderer.Namespace}.svc"));
        Assert.True(leaf.HasPrivateKey);

        var checksum = (string?)render.Single("Deployment", $"{HelmRenderer.Release}-webhooks")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/tls"];
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes((string)secret["data"]!["tls.crt"]!)))[..16];
        Assert.Equal(expected, checksum);
    }

    [Fact]
    public void Render_SelfSignedUpgrade_ReusesTheExistingCaSoBundleCertificateAndPodsStayTheSame()
    {
        var install = HelmRenderer.Render("tls: {mode: selfSigned}\n");
        var secret = install.Single("Secret", $"{HelmRenderer.Release}-webhooks-tls");

        var upgrade = HelmRenderer.RenderAgainst([secret], "tls: {mode: selfSigned}\n", "webhooks: {replicas: 3}\n");
        var fresh = HelmRenderer.Render("tls: {mode: selfSigned}\n");

        Assert.True(upgrade.ExitCode == 0, upgrade.Stderr);
        Assert.True(JsonNode.DeepEquals(secret["data"], upgrade.Single("Secret", secret["metadata"]!["name"]!.ToString())["data"]));
        Assert.Equal(CaBundles(install), CaBundles(upgrade));
        Assert.Equal(Checksum(install), Checksum(upgrade));
        Assert.NotEqual(CaBundles(install), CaBundles(fresh)); // without lookup (helm template) a new CA is made each time
    }

    [Theory]
    [InlineData("", "mesh-redis:6379,abortConnect=false")]
    [InlineData("redis: {mode: external, external: {address: 'r.example:6380'}, passwordSecret: {name: auth}, tls: true}\n", "r.example:6380,password=$(REDIS_PASSWORD),ssl=true,abortConnect=false")]
    [InlineData("redis: {mode: sentinel, sentinel: {masterName: m1, addresses: ['s1:26379', 's2:26379']}}\n", "s1:26379,s2:26379,serviceName=m1,abortConnect=false")]
    [InlineData("redis: {mode: cluster, cluster: {addresses: ['n1:6379', 'n2:6379']}}\n", "n1:6379,n2:6379,abortConnect=false")]
    public void Render_RedisMode_RlsGetsTheConnectionStringAndOnlyBundledRunsRedis(string overlay, string expected)
    {
        var render = HelmRenderer.Render(overlay);

        Assert.Equal(expected, render.Env("rls", "Rls__RedisConfiguration"));
        Assert.Equal("Redis", render.Env("rls", "Rls__Backend"));
        Assert.Equal(overlay.Length == 0, render.Find("Deployment", $"{HelmRenderer.Release}-redis") is not null);
        var env = render.Container("rls")["env"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
        if (expected.Contains("$(REDIS_PASSWORD)", StringComparison.Ordinal))
        {
            // The kubelet expands $(VAR) only from variables defined earlier in the list.
            Assert.True(env.IndexOf("REDIS_PASSWORD") is >= 0 and var i && i < env.IndexOf("Rls__RedisConfiguration"));
        }
    }

    [Fact]
    public void Render_Keda_EachQueueItsOwnDeploymentRunningItsFunctionAndItsOwnScaledObject()
    {
        var render = HelmRenderer.Render();
        var triggers = AppTriggers();
        var queues = triggers.Where(t => t.Queue is not null).ToList();

        Assert.Equal(queues.Count, render.OfKind("ScaledObject").Count());
        foreach (var (function, queue) in queues)
        {
            var name = $"{HelmRenderer.Release}-functions-{queue![..^"-events".Length]}";
            var deployment = render.Single("Deployment", name);
            Assert.Equal([function], EnabledFunctions(deployment));
            Assert.Null(deployment["spec"]!["replicas"]); // KEDA owns it
            var scaled = render.Single("ScaledObject", name);
            Assert.Equal(name, (string?)scaled["spec"]!["scaleTargetRef"]!["name"]);
            var trigger = Assert.Single(scaled["spec"]!["triggers"]!.AsArray());
            Assert.Equal("azure-queue", (string?)trigger!["type"]);
            Assert.Equal(queue, (string?)trigger["metadata"]!["queueName"]);
            var env = Env(deployment).Select(e => (string?)e!["name"]).ToList();
            Assert.Contains((string?)trigger["metadata"]!["connectionFromEnv"], env);
        }

        // Timers run where nothing scales to zero: one replica, no ScaledObject, every timer function of the app.
        var resync = render.Single("Deployment", $"{HelmRenderer.Release}-functions-resync");
        Assert.Equal(1L, (long?)resync["spec"]!["replicas"]);
        Assert.Equal(triggers.Where(t => t.Queue is null).Select(t => t.Function), EnabledFunctions(resync));
        Assert.Null(render.Find("ScaledObject", $"{HelmRenderer.Release}-functions-resync"));

        // Every function of the app runs in exactly one workload.
        var all = render.OfKind("Deployment").Where(d => ((string?)d["metadata"]!["name"])!.StartsWith($"{HelmRenderer.Release}-functions-", StringComparison.Ordinal)).SelectMany(EnabledFunctions).ToList();
        Assert.Equal(triggers.Select(t => t.Function).Order(), all.Order());
    }

    [Fact]
    public void Render_KedaSubsetOfQueues_OnlyThoseWorkloads()
    {
        var render = HelmRenderer.Render("functions: {queues: [deploy-events], resync: {enabled: false}}\n");

        Assert.Equal(0, render.ExitCode);
        Assert.Equal([$"{HelmRenderer.Release}-functions-deploy"], render.OfKind("ScaledObject").Select(o => (string?)o["metadata"]!["name"]));
        Assert.Null(render.Find("Deployment", $"{HelmRenderer.Release}-functions-resync"));
    }

    /// <summary>The app's functions and the queue each is triggered by (null: a timer), read from its source.</summary>
    private static List<(string Function, string? Queue)> AppTriggers()
    {
        var found = new List<(string, string?)>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Combine("functions", "MeshFunctions.Functions"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(file), @"\[Function\(""(?<name>\w+)""\)\][^\[]*\[(?:(?<timer>TimerTrigger)|QueueTrigger\(MeshEventQueues\.(?<queue>\w+))"))
            {
                var queue = m.Groups["timer"].Success ? null : (string?)typeof(MeshFunctions.Core.Events.MeshEventQueues).GetField(m.Groups["queue"].Value)!.GetValue(null);
                found.Add((m.Groups["name"].Value, queue));
            }
        }

        Assert.Contains(found, t => t.Item2 is null);
        Assert.True(found.Count(t => t.Item2 is not null) >= 4, "the app's queue triggers were not found in its source");
        return found;
    }

    private static JsonArray Env(JsonObject deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();

    private static List<string?> EnabledFunctions(JsonObject deployment) =>
        [.. Env(deployment).Where(e => ((string?)e!["name"])!.StartsWith("AzureFunctionsJobHost__functions__", StringComparison.Ordinal)).Select(e => (string?)e!["value"])];

    [Fact]
    public void Render_AzureFunctionsMode_NoInClusterWorkloadButTheSameIdentity()
    {
        var render = HelmRenderer.Render("functions: {mode: azureFunctions}\n");

        Assert.DoesNotContain(render.OfKind("Deployment"), d => ((string?)d["metadata"]!["name"])!.StartsWith($"{HelmRenderer.Release}-functions", StringComparison.Ordinal));
        Assert.Empty(render.OfKind("ScaledObject"));
        Assert.NotNull(render.Find("ClusterRole", $"{HelmRenderer.Release}-functions"));
        var token = render.Single("Secret", $"{HelmRenderer.Release}-functions-token");
        Assert.Equal("kubernetes.io/service-account-token", (string?)token["type"]);
        Assert.Contains("Azure Functions", render.Stdout, StringComparison.Ordinal);
        // The settings NOTES tell the operator to set are the app's own (KubeConnectionOptions).
        foreach (var setting in (string[])["Kubernetes__Host", "Kubernetes__Token", "Kubernetes__CaCertificate"])
        {
            Assert.Contains(setting, render.Stdout, StringComparison.Ordinal);
            Assert.Contains($"public string? {setting.Split("__")[1]} {{ get;", File.ReadAllText(RepoPaths.Combine("functions", "MeshFunctions.Functions", "Kubernetes", "KubeConnectionOptions.cs")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_Defaults_RbacGrantsExactlyWhatEachComponentUses()
    {
        var render = HelmRenderer.Render();

        foreach (var component in ExpectedRbac.Projects.Keys)
        {
            var (cluster, namespaced) = ExpectedRbac.FromCode(component);
            Assert.NotEmpty(cluster);
            Assert.Empty(ExpectedRbac.UnaccountedCalls(component));
            var actual = ExpectedRbac.Flatten(render.Single("ClusterRole", $"{HelmRenderer.Release}-{component}"));
            Assert.True(cluster.SetEquals(actual), $"{component}: granted but not used: {string.Join(", ", actual.Except(cluster))}; used but not granted: {string.Join(", ", cluster.Except(actual))}");
            var role = render.Find("Role", $"{HelmRenderer.Release}-{component}");
            var actualNamespaced = role is null ? [] : ExpectedRbac.Flatten(role);
            Assert.True(namespaced.SetEquals(actualNamespaced), $"{component} (release namespace): granted {string.Join(", ", actualNamespaced)}; used {string.Join(", ", namespaced)}");
        }

        foreach (var role in render.OfKind("ClusterRole").Concat(render.OfKind("Role")))
        {
            Assert.DoesNotContain(ExpectedRbac.Flatten(role), r => r.Contains('*', StringComparison.Ordinal) || r.Contains("/secrets ", StringComparison.Ordinal));
        }

        Assert.Null(render.Find("ClusterRole", $"{HelmRenderer.Release}-rls"));
        Assert.False((bool)render.Single("Deployment", $"{HelmRenderer.Release}-rls")["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!);
    }

    [Theory]
    [InlineData("webhooks", "webhooks/MeshFunctions.Webhooks")]
    [InlineData("discovery", "discovery-service/MeshFunctions.Discovery")]
    [InlineData("functions-deploy", "functions/MeshFunctions.Functions")]
    [InlineData("rls", "rls-service/MeshFunctions.Rls")]
    public void Render_Defaults_EverySettingTheChartGivesIsAnOptionTheCodeBinds(string component, string project)
    {
        var render = HelmRenderer.Render();
        var sources = Directory.GetFiles(RepoPaths.Combine(project.Split('/')), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepoPaths.Combine("core", "MeshFunctions.Core"), "*Options.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var settings = render.Container(component)["env"]!.AsArray().Select(e => (string)e!["name"]!).Where(n => n.Contains("__", StringComparison.Ordinal))
            .Where(n => !n.StartsWith("AzureFunctionsJobHost__", StringComparison.Ordinal)) // read by the Functions host, not the app
            .ToList();
        Assert.NotEmpty(settings);

        foreach (var setting in settings)
        {
            var parts = setting.Split("__");
            Assert.Contains(sources, s => Regex.IsMatch(s, $@"\bSection(Name)? = ""{Regex.Escape(parts[0])}[""\:]"));
            foreach (var property in parts.Skip(1).Where(p => !p.All(char.IsAsciiDigit)))
            {
                Assert.True(sources.Any(s => Regex.IsMatch(s, $@"public [\w<>?.,\[\] ]+ {Regex.Escape(property)} \{{ get;")), $"{component}: {setting}: no option property {property}");
            }
        }
    }

    [Fact]
    public void Render_Defaults_RlsGetsNoApiAccessAndItsCodeHasNoKubernetesClient()
    {
        var render = HelmRenderer.Render();
        var rlsProject = File.ReadAllText(RepoPaths.Combine("rls-service", "MeshFunctions.Rls", "MeshFunctions.Rls.csproj"));
        var rlsSources = Directory.GetFiles(RepoPaths.Combine("rls-service", "MeshFunctions.Rls"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

        // The code calls no Kubernetes API (no client library, no k8s namespace)...
        Assert.DoesNotContain("KubernetesClient", rlsProject, StringComparison.Ordinal);
        Assert.DoesNotContain(rlsSources, f => File.ReadAllText(f).Contains("using k8s", StringComparison.Ordinal));
        // ...so the chart gives it no role and no token.
        var rlsAccount = $"{HelmRenderer.Release}-rls";
        Assert.DoesNotContain(render.OfKind("ClusterRoleBinding").Concat(render.OfKind("RoleBinding")), b => b["subjects"]!.AsArray().Any(s => (string?)s!["name"] == rlsAccount));
        Assert.False((bool)render.Single("ServiceAccount", rlsAccount)["automountServiceAccountToken"]!);
    }

    [Fact]
    public void Render_Defaults_NotesNameEveryComponent()
    {
        var render = HelmRenderer.Render();

        var notes = render.Stdout[render.Stdout.IndexOf("# NOTES.txt", StringComparison.Ordinal)..];
        foreach (var text in (string[])["mesh-webhooks", "mesh-discovery.mf-system:8500", "mesh-rls.mf-system:8081", "KEDA"])
        {
            Assert.Contains(text, notes, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "wrong type", "webhooks: {replicas: two}\n", "webhooks.replicas: Invalid type. Expected: integer, given: string" },
        { "unknown key", "rls: {replica: 3}\n", "rls: Additional property replica is not allowed" },
        { "unknown top-level key", "redsi: {mode: external}\n", "Additional property redsi is not allowed" },
        { "enum", "tls: {mode: vault}\n", "tls.mode: tls.mode must be one of the following: \"certManager\", \"selfSigned\"" },
        { "timeout over 30 s", "webhooks: {timeoutSeconds: 60}\n", "webhooks.timeoutSeconds: Must be less than or equal to 30" },
        { "external redis without address", "redis: {mode: external}\n", "redis.external.address: String length must be greater than or equal to 1" },
        { "sentinel without master", "redis: {mode: sentinel, sentinel: {addresses: ['s:26379']}}\n", "redis.sentinel.masterName: String length must be greater than or equal to 1" },
        { "unknown queue", "functions: {queues: [deploy_events]}\n", "functions.queues.0: functions.queues.0 must be one of the following" },
        { "address without port", "redis: {mode: external, external: {address: redis.example}}\n", "redis.external.address" },
    };

    private static string[] CaBundles(HelmRender render) =>
        [.. render.OfKind("MutatingWebhookConfiguration").Concat(render.OfKind("ValidatingWebhookConfiguration")).SelectMany(c => c["webhooks"]!.AsArray()).Select(w => (string)w!["clientConfig"]!["caBundle"]!).Distinct()];

    private static string? Checksum(HelmRender render) =>
        (string?)render.Single("Deployment", $"{HelmRenderer.Release}-webhooks")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/tls"];

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Render_BadValues_FailsNamingTheValue(string why, string overlay, string message)
    {
        var render = HelmRenderer.Render(overlay);

        Assert.True(render.ExitCode != 0, $"{why}: rendered anyway");
        Assert.Empty(render.Stdout);
        Assert.Contains("values don't meet the specifications of the schema(s)", render.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, render.Stderr, StringComparison.Ordinal);
    }
}
