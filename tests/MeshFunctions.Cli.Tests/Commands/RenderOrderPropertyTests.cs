using System.Text.RegularExpressions;
using CsCheck;
using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

/// <summary>Patch order comes from (priority, creation time, name), never from where the filters sit in the input.</summary>
public sealed class RenderOrderPropertyTests
{
    [Fact]
    public void Render_FiltersInAnyInputOrder_PrintsTheSameObjects()
    {
        var routers = File.ReadAllText(Path.Combine(Repo.Demo, "routers.yaml"));
        var filters = File.ReadAllText(Path.Combine(Repo.Demo, "filters.yaml"))
            .Split("\n---\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Trim('\n') + "\n")
            .Concat([Timeout("web-timeout-a", "3s"), Timeout("web-timeout-b", "4s")])
            .ToArray();
        var expected = MeshctlRun.WithStdin(routers + "---\n" + string.Join("---\n", filters), "render");
        Assert.True(expected.ExitCode == 0, expected.ToString());

        Gen.Shuffle(filters).Sample(
            shuffled =>
            {
                var run = MeshctlRun.WithStdin(routers + "---\n" + string.Join("---\n", shuffled), "render");
                return run.ExitCode == 0 && run.Stdout == expected.Stdout && WithoutLines(run.Stderr) == WithoutLines(expected.Stderr);
            },
            iter: 24,
            threads: 1);
        Assert.Contains("timeout: 4s", expected.Stdout, StringComparison.Ordinal);
        Assert.Contains("IstioFilter shop/web-timeout-a", expected.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Findings point at the filter's own line, which moves with it; the rest must not change.</summary>
    private static string WithoutLines(string stderr) => Regex.Replace(stderr, @"<stdin>:\d+: ", string.Empty);

    /// <summary>Two of these with the same priority conflict; only the name can decide, whatever the input order.</summary>
    private static string Timeout(string name, string value) => $"""
        apiVersion: filter.service-mesh.zhihu.com/v1
        kind: IstioFilter
        metadata:
          name: {name}
          namespace: shop
        spec:
          targetRef:
            name: web
          priority: 10
          timeout: {value}

        """;
}
