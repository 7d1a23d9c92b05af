using MeshFunctions.TestKit.Kubernetes;

namespace MeshFunctions.Infra.Tests.Helm;

/// <summary>The rendered install applied with the real kubectl to the API stand-in (CRDs applied first, as Helm does).</summary>
public sealed class ChartKubectlApplyTests
{
    [Fact]
    public async Task KubectlApply_CrdsThenRenderedInstall_EveryObjectCreated()
    {
        var render = HelmRenderer.Render();
        Assert.Equal(0, render.ExitCode);
        await using var api = await FakeKubernetesApi.StartAsync();
        api.InstallCrds(Environment.GetEnvironmentVariable(FakeKubernetesApi.IstioCrdsVariable) ?? throw new InvalidOperationException("ISTIO_CRDS is not set"));
        // cert-manager and KEDA are prerequisites of the chart; their CRDs are not in this environment.
        api.RegisterResource("cert-manager.io", "v1", "certificates", "Certificate", namespaced: true);
        api.RegisterResource("cert-manager.io", "v1", "issuers", "Issuer", namespaced: true);
        api.RegisterResource("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", namespaced: true);
        // Built-in kinds the stand-in does not serve yet: served here without a schema (strictly checked in HelmChartTests).
        api.RegisterResource("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false, hasStatusSubresource: false);
        api.RegisterResource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false, hasStatusSubresource: false);
        api.RegisterResource("rbac.authorization.k8s.io", "v1", "roles", "Role", namespaced: true, hasStatusSubresource: false);
        api.RegisterResource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", namespaced: true, hasStatusSubresource: false);
        api.RegisterResource("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", namespaced: true);
        api.RegisterResource("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", namespaced: true, hasStatusSubresource: false);
        var dir = Directory.CreateTempSubdirectory("mf-kubectl-");
        try
        {
            var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
            api.WriteKubeconfig(kubeconfig);
            var manifest = Path.Combine(dir.FullName, "install.yaml");
            File.WriteAllText(manifest, render.Stdout);

            // As helm install: the chart's crds/ first, then the templates.
            var crds = Kubectl(dir.FullName, "--kubeconfig", kubeconfig, "apply", "--validate=false", "-f", Path.Combine(RepoPaths.Chart, "crds"));
            Assert.True(crds.Code == 0, $"kubectl apply crds/ failed:\n{crds.Stderr}");
            Assert.Contains("customresourcedefinition.apiextensions.k8s.io/routers.router.service-mesh.zhihu.com created", crds.Stdout, StringComparison.Ordinal);
            var (code, stdout, stderr) = Kubectl(dir.FullName, "--kubeconfig", kubeconfig, "apply", "--validate=false", "-f", manifest);

            Assert.True(code == 0, $"kubectl apply failed ({code}):\n{stderr}\n{stdout}");
            foreach (var obj in render.Objects)
            {
                var stored = api.TryGet((string)obj["apiVersion"]!, (string)obj["kind"]!, (string?)obj["metadata"]!["namespace"], (string)obj["metadata"]!["name"]!);
                Assert.True(stored is not null, $"{obj["kind"]} {obj["metadata"]!["name"]} was not created");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Code, string Stdout, string Stderr) Kubectl(string workingDirectory, params string[] args) =>
        // kubectl's discovery cache goes to HOME: keep it out of the user's home.
        ProcessRunner.Run("kubectl", args, workingDirectory, new Dictionary<string, string> { ["HOME"] = workingDirectory });
}
