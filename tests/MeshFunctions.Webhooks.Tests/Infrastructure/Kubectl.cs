using System.Diagnostics;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>Runs the real <c>kubectl</c> (Debian package; <c>MF_KUBECTL</c> overrides the path) against a kubeconfig.</summary>
internal static class Kubectl
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string kubeconfig, string? stdin, params string[] args)
    {
        var exe = Environment.GetEnvironmentVariable("MF_KUBECTL") is { Length: > 0 } k ? k : "kubectl";
        var start = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--request-timeout=120s" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        // kubectl caches discovery under $HOME/.kube/cache; give each run its own so tests never share stale discovery.
        start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kube-cache");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + exe);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
