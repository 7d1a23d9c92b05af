using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Hostile;

/// <summary>
/// Inputs nobody on the project wrote, through every command: exit 1, the exact first finding
/// (<c>file:line: error: Kind ns/name: path: message</c>), nothing written, never a stack trace.
/// </summary>
public sealed class HostileInputTests
{
    private const string ServiceHead = "apiVersion: v1\nkind: Service\nmetadata:\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "name is a number",
            ServiceHead + "  name: 123\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n",
            "{0}:4: error: Service shop/123: metadata.name: has the wrong type: expected a string, got the number 123"
        },
        {
            "namespace is a list",
            ServiceHead + "  name: web\n  namespace: [a]\nspec:\n  ports: [{port: 80}]\n",
            "{0}:5: error: Service ?/web: metadata.namespace: has the wrong type: expected a string, got a list"
        },
        {
            "nesting 30,000 deep",
            "a: " + new string('[', 30_000) + new string(']', 30_000) + "\n",
            "{0}:1: error: " + string.Concat(Enumerable.Repeat("[0]", 63)).Insert(0, "a") + ": nesting deeper than 64 levels"
        },
        {
            "nested mappings 20,000 deep",
            string.Concat(Enumerable.Range(0, 20_000).Select(i => new string(' ', 0) + "{k: ")) + "1" + new string('}', 20_000) + "\n",
            "{0}:1: error: " + string.Concat(Enumerable.Repeat(".k", 64))[1..] + ": nesting deeper than 64 levels"
        },
        {
            "apiVersion is a number",
            "apiVersion: 1\nkind: Service\nmetadata:\n  name: a\n",
            "{0}:1: error: apiVersion: has the wrong type: expected a string such as 'networking.istio.io/v1', got the number 1"
        },
        {
            "tab indentation",
            ServiceHead + "\tname: a\n",
            "{0}:4: error: invalid YAML: While scanning a mapping, found invalid tab as indentation. (YAML does not allow tabs for indentation)"
        },
        {
            "wrong types inside kind: List",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: \"three\"\n",
            "{0}:9: error: Deployment default/web: items[0].spec.replicas: has the wrong type: expected an integer, got the string 'three'"
        },
        {
            "Deployment containers as a map",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: {web: {image: x}}\n",
            "{0}:10: error: Deployment default/web: spec.template.spec.containers: has the wrong type: expected a list, got a mapping"
        },
        {
            "Deployment typo",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicaz: 3\n",
            "{0}:6: error: Deployment default/web: spec.replicaz: unknown field 'replicaz'"
        },
        {
            "VirtualService typo",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: [web]\n  htttp: []\n",
            "{0}:7: error: VirtualService default/web: spec.htttp: unknown field 'htttp'"
        },
        {
            "alias to an undefined anchor",
            ServiceHead + "  name: *nope\n",
            "{0}:4: error: metadata.name: alias '*nope' refers to no anchor defined before it (or to the node that contains it)"
        },
        {
            "binary garbage",
            "\u0001\u0002\u0003: \u0000\u00ff\n",
            "{0}:1: error: apiVersion: is required (a string such as 'networking.istio.io/v1')"
        },
        {
            "a scalar document",
            "just text\n",
            "{0}:1: error: a manifest must be a mapping with apiVersion, kind and metadata, got the string 'just text'"
        },
        {
            "Router spec: null",
            "apiVersion: router.service-mesh.zhihu.com/v1\nkind: Router\nmetadata:\n  name: web\n  namespace: shop\nspec: null\n",
            "{0}:6: error: Router shop/web: spec: must not be null"
        },
        {
            "IstioFilter spec: null",
            "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata:\n  name: f\n  namespace: shop\nspec: null\n",
            "{0}:6: error: IstioFilter shop/f: spec: must not be null"
        },
        {
            "RateLimit spec: null",
            "apiVersion: quota.service-mesh.zhihu.com/v1\nkind: RateLimit\nmetadata:\n  name: r\n  namespace: shop\nspec: null\n",
            "{0}:6: error: RateLimit shop/r: spec: must not be null"
        },
        {
            "IstioFilter targetRef.name: null",
            "apiVersion: filter.service-mesh.zhihu.com/v1\nkind: IstioFilter\nmetadata:\n  name: f\n  namespace: shop\nspec:\n  targetRef: {name: null}\n  retries: {attempts: 1}\n",
            "{0}:7: error: IstioFilter shop/f: spec.targetRef.name: must not be null"
        },
        {
            "List items not a list",
            "apiVersion: v1\nkind: List\nitems: {a: 1}\n",
            "{0}:3: error: items: has the wrong type: expected a list of objects, got a mapping"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryCommand_HostileInput_Exit1WithExactFirstLineAndNothingWritten(string description, string yaml, string firstLine)
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", yaml);
        var good = dir.Write("good.yaml", Manifests.Router);
        var expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, firstLine, bad);
        var outDir = dir.Combine("out");

        var runs = new (string Command, MeshctlRun Run, string Findings)[]
        {
            Run("render", MeshctlRun.Invoke("render", bad, "--out-dir", outDir, "--rls-config", dir.Combine("rls.yaml"))),
            Run("inject", MeshctlRun.Invoke("inject", bad, "--out-dir", outDir)),
            Run("check", MeshctlRun.Invoke("check", bad)),
            Run("plan", MeshctlRun.Invoke("plan", bad, good)),
        };

        foreach (var (command, run, findings) in runs)
        {
            Assert.True(run.ExitCode == 1, $"{description} / {command}\n{run}");
            var first = findings.Split('\n')[0];
            Assert.True(first == expected, $"{description} / {command}: expected first line\n{expected}\n{run}");
            Assert.DoesNotContain("   at ", run.Stderr + run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", run.Stderr + run.Stdout, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(outDir));
        Assert.False(File.Exists(dir.Combine("rls.yaml")));
        Assert.Equal(string.Empty, runs[0].Run.Stdout + runs[1].Run.Stdout + runs[3].Run.Stdout);
    }

    [Fact]
    public void Check_BadFileInAFolder_StillChecksTheOthers()
    {
        using var dir = new TempDir();
        dir.Write("a/bad.yaml", ServiceHead + "  name: 123\n");
        dir.Write("a/router.yaml", Manifests.Router.Replace("v1: 100", "v1: 90", StringComparison.Ordinal));

        var run = MeshctlRun.Invoke("check", dir.Combine("a"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("metadata.name: has the wrong type", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("weights of branch 'master' must sum to 100, got 90", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RouterWithFourMistakes_ReportsAllFour()
    {
        var yaml = Manifests.Router
            .Replace("port: 8080", "port: \"http\"", StringComparison.Ordinal)
            .Replace("protocol: http", "protocol: http\n  protocl: http\n  retries: 3", StringComparison.Ordinal)
            .Replace("- branch: master", "- branch: [master]", StringComparison.Ordinal);

        var run = MeshctlRun.WithStdin(yaml, "check");

        Assert.Equal(1, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("<stdin>:7: error: Router shop/orders: spec.port: has the wrong type", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("spec.protocl: unknown field 'protocl'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("spec.retries: unknown field 'retries'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("spec.subsets[0].branch: has the wrong type", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_AliasBombInOneDocumentOfMany_RefusedWithItsLineAndOthersUnaffectedInCount()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 8; i++)
        {
            var prev = i == 0 ? "a" : "l" + (i - 1);
            bomb += $"l{i}: &l{i} [" + string.Join(", ", Enumerable.Repeat("*" + prev, 10)) + "]\n";
        }

        var run = MeshctlRun.WithStdin(Manifests.Router + "---\n" + bomb, "render");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nodes in one document (after alias expansion)", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    private static (string, MeshctlRun, string) Run(string command, MeshctlRun run) =>
        (command, run, command == "check" ? run.Stdout : run.Stderr);
}
