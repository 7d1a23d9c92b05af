using System.Diagnostics;
using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

/// <summary>The built program, run as a process: real stdin/stdout/stderr and exit codes.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Process_RenderSeed_MatchesTheInProcessOutput()
    {
        var (exit, stdout, _) = await RunAsync(null, "render", Repo.Seed);

        Assert.Equal(0, exit);
        Assert.Equal(MeshctlRun.Invoke("render", Repo.Seed).Stdout, stdout);
    }

    [Fact]
    public async Task Process_BadInputOnStdin_Exit1WithEmptyStdout()
    {
        var (exit, stdout, stderr) = await RunAsync("apiVersion: v1\nkind: [\n", "render", "-");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("<stdin>:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_InjectOutputOverSeveralBufferChunks_MatchesTheInProcessOutput()
    {
        // About 2.5 MB of YAML out: more than one 1 MB chunk of the UTF-8 output buffer, written to the real stdout stream.
        // The last document is not ASCII: the simple YAML reader hands the stream over to YamlDotNet there.
        var yaml = string.Concat(Enumerable.Range(0, 3000).Select(i => $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app-{{i}}
              namespace: team-{{i % 7}}
              labels: {istio-injection: enabled}
            spec:
              selector:
                matchLabels: {app: app-{{i}}}
              template:
                metadata:
                  labels:
                    app: app-{{i}}
                    note: "{{Note(i)}}"
                spec:
                  containers:
                  - name: app
                    image: registry.example.com/app:{{i}}
            ---

            """));

        var (exit, stdout, stderr) = await RunAsync(yaml, "inject", "-");

        Assert.Equal(0, exit);
        var expected = MeshctlRun.WithStdin(yaml, "inject", "-");
        Assert.Equal(expected.Stdout.Length, stdout.Length);
        Assert.Equal(expected.Stdout, stdout);
        Assert.Equal(expected.Stderr, stderr);
        Assert.Contains("note: é 2999", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_Help_PrintsUsageOnStdout()
    {
        var (exit, stdout, _) = await RunAsync(null, "inject", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--prestop-margin", stdout, StringComparison.Ordinal);
    }

    private static string Note(int i) => i == 2999 ? "é " + i : "n" + i;

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "meshctl.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin ?? string.Empty);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
