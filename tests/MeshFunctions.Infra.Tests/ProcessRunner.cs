using System.Diagnostics;

namespace MeshFunctions.Infra.Tests;

/// <summary>Runs a tool to completion and captures its output (go, kubectl, dotnet publish).</summary>
internal static class ProcessRunner
{
    /// <summary>Exit code, stdout and stderr; <paramref name="guard"/> only stops a hung tool.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? env = null, TimeSpan? guard = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(guard ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {guard}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
