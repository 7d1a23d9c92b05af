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
