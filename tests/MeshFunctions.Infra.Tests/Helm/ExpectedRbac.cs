using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>
/// What each component calls on the Kubernetes API, read from its source, as "verb group/resource " strings.
/// Webhooks and Discovery call the typed client directly: every call site must match one entry of
/// <see cref="TypedCalls"/> (a new call without an entry fails), and every entry must still match its file. The
/// functions call through <c>KubeObjects</c> with a <c>KubeKind</c>: their rules are derived from those call sites and
/// the kinds in <c>KubeKind.cs</c>. A chart rule that is not derived here, or the reverse, fails
/// <c>Render_Defaults_RbacGrantsExactlyWhatEachComponentUses</c>.
/// </summary>
internal static partial class ExpectedRbac
{
    /// <summary>(component, file under the component's project, call pattern, what the call needs).</summary>
    public static IReadOnlyList<(string Component, string File, string Pattern, string[] Rules)> TypedCalls { get; } =
    [
        // The informers (ClusterCache): list then watch of VirtualServices, DestinationRules, Routers, Services, Namespaces.
        ("webhooks", "Cache/KubernetesSources.cs", @"CustomObjects\.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>\(group, version, plural, cancellationToken", CustomInformer("list")),
        ("webhooks", "Cache/KubernetesSources.cs", @"CustomObjects\.ListClusterCustomObjectWithHttpMessagesAsync<JsonObject>\(\s*$", CustomInformer("watch")),
        ("webhooks", "Cache/KubernetesSources.cs", @"CoreV1\.ListServiceForAllNamespacesAsync\(", ["list /services "]),
        ("webhooks", "Cache/KubernetesSources.cs", @"CoreV1\.ListServiceForAllNamespacesWithHttpMessagesAsync\(.*watch: true", ["watch /services "]),
        ("webhooks", "Cache/KubernetesSources.cs", @"CoreV1\.ListNamespaceAsync\(", ["list /namespaces "]),
        ("webhooks", "Cache/KubernetesSources.cs", @"CoreV1\.ListNamespaceWithHttpMessagesAsync\(.*watch: true", ["watch /namespaces "]),
        // Before denying a VirtualService: the DestinationRules of the searched namespaces, read directly.
        ("webhooks", "Cache/ClusterCache.cs", @"CustomObjects\.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>\(", ["list networking.istio.io/destinationrules "]),
        // The default Sidecar of a new namespace (DefaultSidecarWriter).
        ("webhooks", "Sidecars/DefaultSidecarWriter.cs", @"CoreV1\.ReadNamespaceAsync\(", ["get /namespaces "]),
        ("webhooks", "Sidecars/DefaultSidecarWriter.cs", @"CustomObjects\.CreateNamespacedCustomObjectAsync\(.*""networking\.istio\.io"", ""v1"", ns, ""sidecars""", ["create networking.istio.io/sidecars "]),
        // Discovery's watcher: list then watch of Pods, Services, EndpointSlices, Routers; the switch ConfigMap (namespaced Role).
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.ListPodForAllNamespacesAsync\(", ["list /pods "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.WatchListPodForAllNamespacesAsync\(", ["watch /pods "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.ListServiceForAllNamespacesAsync\(", ["list /services "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.WatchListServiceForAllNamespacesAsync\(", ["watch /services "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"DiscoveryV1\.ListEndpointSliceForAllNamespacesAsync\(", ["list discovery.k8s.io/endpointslices "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"DiscoveryV1\.WatchListEndpointSliceForAllNamespacesAsync\(", ["watch discovery.k8s.io/endpointslices "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CustomObjects\.ListCustomObjectForAllNamespacesAsync\(Router\.Group, RouterVersion, RouterPlural", ["list router.service-mesh.zhihu.com/routers "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CustomObjects\.WatchListCustomObjectForAllNamespacesAsync\(Router\.Group, RouterVersion, RouterPlural", ["watch router.service-mesh.zhihu.com/routers "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.ListNamespacedConfigMapAsync\(_options\.SwitchNamespace", ["list /configmaps "]),
        ("discovery", "Cluster/KubernetesWatcher.Resources.cs", @"CoreV1\.WatchListNamespacedConfigMapAsync\(_options\.SwitchNamespace", ["watch /configmaps "]),
        // The state ConfigMap (FloorWriter): read, then replace with the read resourceVersion, or create.
        ("discovery", "Cluster/FloorWriter.cs", @"CoreV1\.ReadNamespacedConfigMapAsync\(", ["get /configmaps "]),
        ("discovery", "Cluster/FloorWriter.cs", @"CoreV1\.ReplaceNamespacedConfigMapAsync\(", ["update /configmaps "]),
        ("discovery", "Cluster/FloorWriter.cs", @"CoreV1\.CreateNamespacedConfigMapAsync\(", ["create /configmaps "]),
    ];

    /// <summary>Source folder of each component's project.</summary>
    public static IReadOnlyDictionary<string, string> Projects { get; } = new Dictionary<string, string>
    {
        ["webhooks"] = RepoPaths.Combine("webhooks", "MeshFunctions.Webhooks"),
        ["discovery"] = RepoPaths.Combine("discovery-service", "MeshFunctions.Discovery"),
        ["functions"] = RepoPaths.Combine("functions", "MeshFunctions.Functions"),
    };

    /// <summary>Rules that hold only in the release namespace (a Role, not the ClusterRole).</summary>
    private static readonly HashSet<string> NamespacedResources = ["/configmaps"];

    /// <summary>Every Kubernetes call of the component, by rule: the ClusterRole part and the release-namespace Role part.</summary>
    public static (HashSet<string> Cluster, HashSet<string> Namespaced) FromCode(string component)
    {
        var all = component == "functions" ? FunctionsRules() : TypedRules(component);
        var namespaced = all.Where(r => NamespacedResources.Contains(r.Split(' ')[1])).ToHashSet(StringComparer.Ordinal);
        all.ExceptWith(namespaced);
        return (all, namespaced);
    }

    /// <summary>
    /// Call sites of the typed client in a component that no entry of <see cref="TypedCalls"/> accounts for (in the
    /// functions, any outside <c>KubeObjects</c>).
    /// </summary>
    public static List<string> UnaccountedCalls(string component)
    {
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Projects[component], "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
        {
            var relative = Path.GetRelativePath(Projects[component], file).Replace('\\', '/');
            if (component == "functions" && relative is "Kubernetes/KubeObjects.cs" or "Kubernetes/KubeObjects.Watch.cs")
            {
                // The functions' one client layer: what it is called with is derived from its KubeKind call sites.
                continue;
            }

            var patterns = TypedCalls.Where(c => c.Component == component && c.File == relative).Select(c => new Regex(c.Pattern)).ToList();
            foreach (var line in File.ReadLines(file).Where(l => ClientCall().IsMatch(l)))
            {
                if (!patterns.Any(p => p.IsMatch(line)))
                {
                    missing.Add($"{relative}: {line.Trim()}");
                }
            }
        }

        return missing;
    }

    public static HashSet<string> Flatten(JsonObject role)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in role["rules"]!.AsArray())
        {
            foreach (var group in rule!["apiGroups"]!.AsArray())
            {
                foreach (var resource in rule["resources"]!.AsArray())
                {
                    foreach (var verb in rule["verbs"]!.AsArray())
                    {
                        result.Add($"{verb} {group}/{resource} ");
                    }
                }
            }
        }

        return result;
    }

    private static HashSet<string> TypedRules(string component)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in TypedCalls.Where(c => c.Component == component))
        {
            var text = File.ReadAllText(Path.Combine(Projects[component], call.File));
            Assert.True(new Regex(call.Pattern, RegexOptions.Multiline).IsMatch(text), $"{component}: {call.File} no longer calls /{call.Pattern}/");
            result.UnionWith(call.Rules);
        }

        return result;
    }

    /// <summary>
    /// The functions' rules from their <c>kube.XAsync(KubeKind.Y, …)</c> call sites. A call with a computed kind (the
    /// generic apply and delete of plan steps, the live-object listing, the list + watch of the informers that index a
    /// Router's live objects) acts on <c>KubeKind.Rendered</c>; the RLS
    /// ConfigMap is applied through the same path and is added from its own <c>GetAsync(KubeKind.ConfigMap</c> site.
    /// </summary>
    private static HashSet<string> FunctionsRules()
    {
        var project = Projects["functions"];
        var kindsSource = File.ReadAllText(Path.Combine(project, "Kubernetes", "KubeKind.cs"));
        var kinds = KindDeclaration().Matches(kindsSource).ToDictionary(m => m.Groups["name"].Value, m => $"{m.Groups["group"].Value}/{m.Groups["plural"].Value}");
        var rendered = RenderedDeclaration().Match(kindsSource).Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(rendered);

        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
        {
            foreach (Match call in KubeObjectsCall().Matches(File.ReadAllText(file)))
            {
                var verb = call.Groups["op"].Value switch
                {
                    "Get" => "get",
                    "List" or "ListWithVersion" => "list",
                    "Watch" => "watch",
                    "Create" => "create",
                    "Patch" => "patch",
                    "Delete" => "delete",
                    "ReplaceStatus" => "update",
                    var other => throw new InvalidOperationException($"unknown KubeObjects call {other}"),
                };
                var suffix = call.Groups["op"].Value == "ReplaceStatus" ? "/status" : string.Empty;
                var targets = call.Groups["kind"].Success ? [call.Groups["kind"].Value] : rendered;
                foreach (var kind in targets)
                {
                    result.Add($"{verb} {kinds[kind]}{suffix} ");
                    if (kind == "ConfigMap")
                    {
                        // MeshStateReader applies the ConfigMap it read: create when missing, else patch.
                        result.Add($"create {kinds[kind]} ");
                        result.Add($"patch {kinds[kind]} ");
                    }
                }
            }
        }

        // Core's rendered EnvoyFilters carry an owner reference to their IstioFilter with blockOwnerDeletion; with the
        // OwnerReferencesPermissionEnforcement admission plugin that needs update on the owner's finalizers.
        var extraObjects = File.ReadAllText(RepoPaths.Combine("core", "MeshFunctions.Core", "Filters", "Internal", "ExtraObjects.cs"));
        if (extraObjects.Contains("[\"blockOwnerDeletion\"] = true", StringComparison.Ordinal))
        {
            result.Add($"update {kinds["IstioFilter"]}/finalizers ");
        }

        return result;
    }

    private static string[] CustomInformer(string verb) =>
    [
        $"{verb} networking.istio.io/virtualservices ",
        $"{verb} networking.istio.io/destinationrules ",
        $"{verb} router.service-mesh.zhihu.com/routers ",
    ];

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"\b(CoreV1|CustomObjects|DiscoveryV1|AppsV1|CoordinationV1|RbacAuthorizationV1|BatchV1)\.\w+Async\b")]
    private static partial Regex ClientCall();

    [GeneratedRegex(@"\b_?kube\.(?<op>Get|ListWithVersion|List|Watch|Create|Patch|Delete|ReplaceStatus)Async\((KubeKind\.Of\(|KubeKind\.(?<kind>\w+)\b|_?kind\b)")]
    private static partial Regex KubeObjectsCall();

    [GeneratedRegex(@"public static readonly KubeKind (?<name>\w+) = new\((""(?<group>[^""]*)""|string\.Empty), ""[^""]+"", ""(?<plural>[^""]+)""")]
    private static partial Regex KindDeclaration();

    [GeneratedRegex(@"Rendered \{ get; \} = \[(?<list>[^\]]+)\]")]
    private static partial Regex RenderedDeclaration();
}
