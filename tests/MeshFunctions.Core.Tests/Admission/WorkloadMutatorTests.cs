using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class WorkloadMutatorTests
{
    private static readonly WorkloadMutator Default = new(new InjectionOptions());

    [Fact]
    public void Mutate_InvalidProxyConfigAnnotation_DeniedNamingAnnotation()
    {
        var pod = Pod("proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": '");

        var result = Default.Mutate(pod);

        Assert.False(result.Allowed);
        Assert.StartsWith("metadata.annotations['proxy.istio.io/config']: is not valid JSON or YAML", result.Reason);
        Assert.Empty(result.Patch);
    }

    [Theory]
    [InlineData("proxy.istio.io/config: '[1, 2]'", "must be one ProxyConfig object")]
    [InlineData("proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": \"yes please\"}'", "holdApplicationUntilProxyStarts must be true or false")]
    [InlineData("proxy.istio.io/config: '{\"terminationDrainDuration\": \"soon\"}'", "terminationDrainDuration must be a duration such as \"5s\"")]
    public void Mutate_UnusableProxyConfig_DeniedWithReason(string annotation, string expected)
    {
        var result = Default.Mutate(Pod(annotation));

        Assert.False(result.Allowed);
        Assert.Contains(expected, result.Reason);
    }

    [Fact]
    public void Mutate_HoldExplicitlyFalse_OverriddenWithWarningAndOtherFieldsKept()
    {
        var result = Default.Mutate(Pod("proxy.istio.io/config: '{\"holdApplicationUntilProxyStarts\": false, \"concurrency\": 3}'"));

        var config = JsonNode.Parse((string)result.Mutated["metadata"]!["annotations"]!["proxy.istio.io/config"]!)!;
        Assert.Equal("""{"holdApplicationUntilProxyStarts":true,"concurrency":3,"terminationDrainDuration":"5s"}""", config.ToJsonString());
        Assert.Contains(result.Warnings, w => w.Contains("holdApplicationUntilProxyStarts=false overridden", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{}}""", "spec.template: is required for this kind")]
    [InlineData("""{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"x"},"spec":{"jobTemplate":{"spec":{"template":[]}}}}""", "spec.jobTemplate.spec.template: must be an object")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","labels":{"istio-injection":"enabled"}},"spec":{"containers":{}}}""", "spec.containers: must be a list of containers")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","labels":{"istio-injection":"enabled"}},"spec":{"containers":[{"image":"a"}]}}""", "spec.containers[0].name: is required")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","labels":{"a":1}},"spec":{"containers":[]}}""", "metadata.labels.a: must be a string")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","labels":{"istio-injection":"enabled"}},"spec":{"terminationGracePeriodSeconds":"30","containers":[]}}""", "spec.terminationGracePeriodSeconds: must be an integer")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"hostNetwork":"yes","containers":[]}}""", "spec.hostNetwork: must be true or false")]
    public void Mutate_MalformedWorkload_DeniedNamingField(string json, string reason)
    {
        var result = Default.Mutate((JsonObject)JsonNode.Parse(json)!);

        Assert.False(result.Allowed);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Mutate_NotAWorkload_UnchangedAndAllowed()
    {
        var service = (JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"x","labels":{"istio-injection":"enabled"}}}""")!;

        var result = Default.Mutate(service);

        Assert.True(result.Allowed);
        Assert.Empty(result.Patch);
        Assert.False(result.Injected);
    }

    [Theory]
    [InlineData("exec: {command: [sleep, '45']}", 50)]
    [InlineData("exec: {command: [/bin/bash, -c, 'sleep 10; nginx -s quit; sleep 5']}", 20)]
    [InlineData("exec: {command: [sh, -c, 'sleep 1m']}", 65)]
    [InlineData("sleep: {seconds: 12}", 17)]
    [InlineData("tcpSocket: {port: 80}", 35)]
    [InlineData("exec: {command: [/app/drain]}", 35)]
    public void Mutate_AppPreStopVariants_ProxySleepsLongerThanApp(string preStop, int expected)
    {
        var pod = YamlPod($$"""
            containers:
            - name: app
              lifecycle:
                preStop: {{{preStop}}}
            """);

        var result = Default.Mutate(pod);

        var proxy = ((JsonArray)result.Mutated["spec"]!["containers"]!).Single(c => (string?)c!["name"] == "istio-proxy")!;
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)proxy["lifecycle"]!["preStop"]!["exec"]!["command"]![1]);
    }

    [Fact]
    public void Mutate_ShorterUserProxyPreStop_RaisedWithWarning()
    {
        var pod = YamlPod("""
            containers:
            - name: app
              lifecycle: {preStop: {exec: {command: [sleep, "30"]}}}
            - name: istio-proxy
              lifecycle: {preStop: {exec: {command: [sleep, "10"]}}}
            """);

        var result = Default.Mutate(pod);

        var proxy = result.Mutated["spec"]!["containers"]![1]!;
        Assert.Equal("35", (string?)proxy["lifecycle"]!["preStop"]!["exec"]!["command"]![1]);
        Assert.Contains(result.Warnings, w => w.Contains("raised to 35s", StringComparison.Ordinal));
    }

    [Fact]
    public void Mutate_LongerGracePeriod_NeverLowered()
    {
        var pod = YamlPod("""
            terminationGracePeriodSeconds: 300
            containers:
            - name: app
            """);

        var result = Default.Mutate(pod);

        Assert.Equal(300L, (long)result.Mutated["spec"]!["terminationGracePeriodSeconds"]!);
    }

    [Fact]
    public void Mutate_NativeOptionWithoutDeclaredShape_AddsInitContainerAndPinsAnnotation()
    {
        var mutator = new WorkloadMutator(new InjectionOptions { NativeSidecars = NativeSidecarMode.Enabled, UseSleepAction = true });

        var result = mutator.Mutate(YamlPod("containers: [{name: app}]"));

        var proxy = result.Mutated["spec"]!["initContainers"]![0]!;
        Assert.Equal("""{"name":"istio-proxy","restartPolicy":"Always","lifecycle":{"preStop":{"sleep":{"seconds":5}}}}""", proxy.ToJsonString());
        Assert.Equal("true", (string?)result.Mutated["metadata"]!["annotations"]!["sidecar.istio.io/nativeSidecar"]);
        Assert.Single((JsonArray)result.Mutated["spec"]!["containers"]!);
    }

    [Fact]
    public void Mutate_NativeAnnotationOnPod_NoPostStart()
    {
        var pod = YamlPod("containers: [{name: app}]");
        pod["metadata"]!["annotations"] = new JsonObject { ["sidecar.istio.io/nativeSidecar"] = "true" };

        var result = Default.Mutate(pod);

        var proxy = result.Mutated["spec"]!["initContainers"]![0]!;
        Assert.Null(proxy["lifecycle"]!["postStart"]);
        Assert.Equal("Always", (string?)proxy["restartPolicy"]);
    }

    [Fact]
    public void Mutate_JobWithExistingLocality_NeverOverwritten()
    {
        var options = new InjectionOptions { DefaultLocality = "eu-west.eu-west-1a" };
        var job = (JsonObject)YamlReader.Read("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, labels: {istio-injection: enabled}}
            spec:
              template:
                metadata: {labels: {topology.istio.io/locality: us-east.us-east-1b}}
                spec: {containers: [{name: app}], restartPolicy: Never}
            """).Single().Root!;

        var result = new WorkloadMutator(options).Mutate(job);

        Assert.Null(result.Mutated["spec"]!["template"]!["metadata"]!["labels"]!["istio-locality"]);
    }

    [Theory]
    [InlineData("eu-west/eu-west-1a", "eu-west.eu-west-1a")]
    [InlineData("eu-west.eu-west-1a.rack2", "eu-west.eu-west-1a.rack2")]
    public void Mutate_JobLocalityFromNodeLabelsOrDefault_DottedLabel(string configured, string expected)
    {
        var job = (JsonObject)YamlReader.Read("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, labels: {istio-injection: enabled}}
            spec:
              template:
                spec: {containers: [{name: app}], restartPolicy: Never}
            """).Single().Root!;

        var fromDefault = new WorkloadMutator(new InjectionOptions { DefaultLocality = configured }).Mutate(job);
        var parts = configured.Split('/', '.');
        var labels = new Dictionary<string, string> { ["topology.kubernetes.io/region"] = parts[0], ["topology.kubernetes.io/zone"] = parts[1] };
        if (parts.Length > 2)
        {
            labels["topology.istio.io/subzone"] = parts[2];
        }

        var fromNode = Default.Mutate(job, new MutationContext { NodeLabels = labels });

        Assert.Equal(expected, (string?)fromDefault.Mutated["spec"]!["template"]!["metadata"]!["labels"]!["istio-locality"]);
        Assert.Equal(expected, (string?)fromNode.Mutated["spec"]!["template"]!["metadata"]!["labels"]!["istio-locality"]);
    }

    [Fact]
    public void Mutate_JobWithoutConfiguredLocality_WarnsAndSetsNoLabel()
    {
        var job = (JsonObject)YamlReader.Read("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, labels: {istio-injection: enabled}}
            spec: {template: {spec: {containers: [{name: app}], restartPolicy: Never, nodeSelector: {node-pool: gpu}}}}
            """).Single().Root!;

        var result = Default.Mutate(job);

        Assert.Null(result.Mutated["spec"]!["template"]!["metadata"]!["labels"]!["istio-locality"]);
        Assert.Contains("no Service selects these pods and no locality is configured for node pool 'gpu'; istio-locality not set", result.Warnings);
    }

    [Fact]
    public void Mutate_NamespaceExcludedFromInjection_Warns()
    {
        var context = new MutationContext { NamespaceLabels = new Dictionary<string, string> { ["istio-injection"] = "disabled" } };

        var result = Default.Mutate(YamlPod("containers: [{name: app}]"), context);

        Assert.Contains(result.Warnings, w => w.StartsWith("namespace label istio-injection=disabled excludes", StringComparison.Ordinal));
    }

    [Fact]
    public void Mutate_NotOptedInInsideInjectedNamespace_WarnsThatPodsLeaveTheMesh()
    {
        var pod = YamlPod("containers: [{name: app}]");
        pod["metadata"]!["labels"] = new JsonObject();
        var context = new MutationContext { NamespaceLabels = new Dictionary<string, string> { ["istio-injection"] = "enabled" } };

        var result = Default.Mutate(pod, context);

        Assert.Equal("false", (string?)result.Mutated["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        Assert.Contains("namespace has istio-injection=enabled but this workload is not opted in; its pods get inject=false", result.Warnings);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var options = new InjectionOptions { Revision = "Canary_1", PreStopMarginSeconds = 0 };
        options.NodePoolLocalities["batch"] = "a/b.c/d";

        var ex = Assert.Throws<ArgumentException>(() => new WorkloadMutator(options));

        Assert.Contains("Revision: 'Canary_1' is not a valid revision", ex.Message);
        Assert.Contains("PreStopMarginSeconds: must be between 1 and 3600, got 0", ex.Message);
        Assert.Contains("NodePoolLocalities['batch']: locality 'a/b.c/d' has a dot inside a region/zone name", ex.Message);
    }

    [Fact]
    public void Mutate_UnknownInjectionValue_TreatedAsDisabledWithWarning()
    {
        var pod = YamlPod("containers: [{name: app}]");
        pod["metadata"]!["labels"]!["istio-injection"] = "yes";

        var result = Default.Mutate(pod);

        Assert.False(result.Injected);
        Assert.Equal("false", (string?)result.Mutated["metadata"]!["labels"]!["sidecar.istio.io/inject"]);
        Assert.Contains("label istio-injection='yes' is neither 'enabled' nor 'disabled'; treated as disabled", result.Warnings);
    }

    [Fact]
    public void Decide_ParsedDocument_WritesTheSamePatchAsMutateAndAnOperationCopiedWithANewValueWritesThatValue()
    {
        var pod = YamlPod("containers: [{name: app}]");
        using var document = System.Text.Json.JsonDocument.Parse(pod.ToJsonString());

        var decided = Default.Decide(document.RootElement);
        var changed = decided.Patch[0] with { Value = "x" };

        Assert.Equal(JsonPatch.Serialize(Default.Mutate(pod).Patch), JsonPatch.Serialize(decided.Patch));
        Assert.Equal("\"x\"", changed.Value!.ToJsonString());
        Assert.Contains("\"value\":\"x\"", JsonPatch.Serialize([changed]), StringComparison.Ordinal);
    }

    private static JsonObject Pod(string annotations) => (JsonObject)YamlReader.Read($$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          labels: {istio-injection: enabled}
          annotations:
            {{annotations}}
        spec:
          containers: [{name: app}]
        """).Single().Root!;

    private static JsonObject YamlPod(string spec)
    {
        var indented = string.Join('\n', spec.Split('\n').Select(l => "  " + l));
        return (JsonObject)YamlReader.Read($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {{istio-injection: enabled}}\nspec:\n{indented}\n").Single().Root!;
    }
}
