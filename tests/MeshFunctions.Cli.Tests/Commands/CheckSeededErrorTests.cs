using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

/// <summary>
/// Objects with seeded field errors — the cases <c>kubectl apply --dry-run=server</c> (strict field validation)
/// refuses: each is found with its path and line first, and nothing unrelated is reported.
/// </summary>
public sealed class CheckSeededErrorTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: web:1
                ports:
                - containerPort: 8080
                resources:
                  limits: {cpu: 500m, memory: 1Gi}

        """;

    private const string VirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
          namespace: shop
        spec:
          hosts: [web]
          http:
          - route:
            - destination:
                host: web
                subset: v1
                port: {number: 8080}

        """;

    private const string DestinationRule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: web
          namespace: shop
        spec:
          host: web
          subsets:
          - name: v1
            labels: {version: v1}

        """;

    public static TheoryData<string, string, string, int, string> KubernetesCases => new()
    {
        { "list labels", Deployment, "  labels: {app: web}\nspec:", 6, "metadata.labels: has the wrong type: expected a mapping, got a list" },
        { "replicas as text", Deployment, "  replicas: 2", 8, "spec.replicas: has the wrong type: expected an integer, got the string 'three'" },
        { "containers as a map", Deployment, "      containers:\n      - name: web\n        image: web:1", 15, "spec.template.spec.containers: has the wrong type: expected a list, got a mapping" },
        { "replicas typo", Deployment, "  replicas: 2", 8, "spec.replicaz: unknown field 'replicaz'" },
        { "port as text", Deployment, "        - containerPort: 8080", 19, "spec.template.spec.containers[0].ports[0].containerPort: has the wrong type: expected an integer, got the string 'http'" },
        { "quantity as a list", Deployment, "          limits: {cpu: 500m, memory: 1Gi}", 21, "spec.template.spec.containers[0].resources.limits.cpu: has the wrong type: expected a quantity (such as 500m, 2 or 1Gi), got a list" },
        { "kind typo", Deployment, "kind: Deployment", 2, "kind: apps/v1 has no kind 'Deploymnet' (kinds are case-sensitive)" },
    };

    public static TheoryData<string, string, string, int, string> IstioCases => new()
    {
        { "http typo", VirtualService, "  http:", 8, "spec.htttp: unknown field 'htttp'" },
        { "host typo", DestinationRule, "  host: web", 7, "spec.hostt: unknown field 'hostt'" },
        { "labels typo", DestinationRule, "    labels: {version: v1}", 10, "spec.subsets[0].labelz: unknown field 'labelz'" },
        { "top-level typo", VirtualService, "spec:", 6, "sepc: unknown field 'sepc'" },
    };

    [Theory]
    [MemberData(nameof(KubernetesCases))]
    [MemberData(nameof(IstioCases))]
    public void Check_SeededFieldError_FoundWithPathAndLine(string description, string valid, string line, int lineNumber, string finding)
    {
        var broken = Seed(valid, line, description);

        var clean = MeshctlRun.WithStdin(valid, "check");
        var run = MeshctlRun.WithStdin(broken, "check");

        Assert.True(clean.ExitCode == 0, "the unseeded object must pass\n" + clean);
        Assert.True(run.ExitCode == 1, description + "\n" + run);
        var findings = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = findings[0];
        Assert.StartsWith($"<stdin>:{lineNumber}: error: ", first, StringComparison.Ordinal);
        Assert.EndsWith(": " + finding, first, StringComparison.Ordinal);

        // With Istio's schemas a renamed required field is also reported missing; nothing else is.
        Assert.All(findings.Skip(1), f => Assert.EndsWith("(required)", f, StringComparison.Ordinal));
    }

    [IstioCrdsFact]
    public void Check_IstioKindsWithCrds_WrongTypesFoundWithPaths()
    {
        var broken = VirtualService
            .Replace("  hosts: [web]", "  hosts: web", StringComparison.Ordinal)
            .Replace("port: {number: 8080}", "port: {number: eighty}", StringComparison.Ordinal);

        var without = MeshctlRun.WithStdin(broken, "check", "--istio-crds", string.Empty);
        var run = MeshctlRun.WithStdin(broken, "check", "--istio-crds", IstioCrds.Path!, "-o", "json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("\"path\": \"spec.hosts\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"path\": \"spec.http[0].route[0].destination.port.number\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"MF0022\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"line\": 7,", run.Stdout, StringComparison.Ordinal);
        Assert.True(without.ExitCode == 0, "without the schemas only field names are checked\n" + without);
    }

    [IstioCrdsFact]
    public void Check_ValidIstioObjectsWithCrds_Pass()
    {
        var run = MeshctlRun.WithStdin(VirtualService + "---\n" + DestinationRule, "check", "--istio-crds", IstioCrds.Path!);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void Check_OutputYaml_IsAListOfFindingsWithCodes()
    {
        var run = MeshctlRun.WithStdin(Seed(VirtualService, "  http:", "http typo") + "---\n" + Seed(DestinationRule, "  host: web", "host typo"), "check", "-o", "yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("- severity: error\n  code: MF0021\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n  line: 8\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("path: spec.hostt", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OutputJson_KeepsQuotesAndAngleBracketsReadable()
    {
        var run = MeshctlRun.WithStdin(Seed(VirtualService, "  http:", "http typo"), "check", "-o", "json");

        Assert.Contains("unknown field 'htttp'", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"file\": \"<stdin>\"", run.Stdout, StringComparison.Ordinal);
    }

    private static string Seed(string valid, string line, string description)
    {
        var seeded = description switch
        {
            "list labels" => line.Replace("{app: web}", "[app, web]", StringComparison.Ordinal),
            "replicas as text" => line.Replace("2", "\"three\"", StringComparison.Ordinal),
            "containers as a map" => "      containers:\n        web: {image: web:1}",
            "replicas typo" => line.Replace("replicas", "replicaz", StringComparison.Ordinal),
            "port as text" => line.Replace("8080", "http", StringComparison.Ordinal),
            "quantity as a list" => line.Replace("cpu: 500m", "cpu: [500m]", StringComparison.Ordinal),
            "kind typo" => "kind: Deploymnet",
            "http typo" => "  htttp:",
            "host typo" => "  hostt: web",
            "labels typo" => "    labelz: {version: v1}",
            "top-level typo" => "sepc:",
            _ => throw new ArgumentOutOfRangeException(nameof(description), description, null),
        };
        Assert.Contains(line, valid, StringComparison.Ordinal);
        return valid.Replace(line, seeded, StringComparison.Ordinal);
    }
}
