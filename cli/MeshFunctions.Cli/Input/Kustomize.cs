using System.ComponentModel;
using System.Diagnostics;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Input;

/// <summary>Builds a Kustomize directory with <c>kubectl kustomize</c> (meshctl does not reimplement Kustomize).</summary>
internal static class Kustomize
{
    /// <summary>The program run; <c>MESHCTL_KUBECTL</c> overrides it (a kubectl elsewhere, or none for tests).</summary>
    public static string Kubectl => Environment.GetEnvironmentVariable("MESHCTL_KUBECTL") is { Length: > 0 } k ? k : "kubectl";

    /// <summary>The built YAML, or null after adding why it could not be built.</summary>
    public static string? Build(string directory, List<Diagnostic> diagnostics)
    {
        if (!Directory.Exists(directory))
        {
            diagnostics.Add(Error(directory, "-k needs a directory holding a kustomization.yaml; no such directory"));
            return null;
        }

        var start = new ProcessStartInfo(Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                diagnostics.Add(Error(directory, "kubectl kustomize did not finish within 5 minutes"));
                return null;
            }

            if (process.ExitCode != 0)
            {
                var reason = stderr.Result.Trim().Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}";
                diagnostics.Add(Error(directory, "kubectl kustomize failed: " + reason));
                return null;
            }

            return stdout;
        }
        catch (Win32Exception)
        {
            diagnostics.Add(Error(directory, $"-k runs '{Kubectl} kustomize', but {Kubectl} was not found on the PATH; install kubectl, or pipe 'kustomize build {directory}' into meshctl with '-'"));
            return null;
        }
    }

    private static Diagnostic Error(string directory, string message) =>
        new(Severity.Error, string.Empty, message) { Location = new SourceLocation(directory, 1, 1), Code = DiagnosticCodes.InputFile };
}
