using System.CommandLine;
using System.Text.Json.Nodes;
using MeshFunctions.Cli.Input;
using MeshFunctions.Cli.Output;
using MeshFunctions.Cli.Pipeline;
using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Cli.Commands;

/// <summary><c>meshctl check</c>: every validating rule across a set of manifests; the findings are the output.</summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console, HelpExamples help)
    {
        var common = new CommonOptions();
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Exit 1 when there are warnings, too." };
        var clusterDomain = new Option<string>("--cluster-domain")
        {
            Description = "The cluster's DNS domain, to expand short hosts.",
            DefaultValueFactory = _ => "cluster.local",
            HelpName = "domain",
        };
        var command = new Command("check", "Check a set of manifests like `istioctl analyze`: object validation and cross-object rules; exit 1 on errors.");
        help.Add(command, """
            Checks every object (YAML, apiVersion/kind, unknown fields, Router weights and names, RateLimit quotas and
            regexes, IstioFilter blocks), renders the Routers, IstioFilters and RateLimits, and then checks the written
            and rendered objects together:
              - a VirtualService routes or mirrors to a subset its host's DestinationRule does not define (503s);
              - risky retries on gRPC routes (retryOn unavailable/cancelled, or Istio's default policy);
              - Sidecar duplicates (two without workloadSelector in a namespace, or two with the same selector);
              - the same object defined twice; IstioFilter conflicts (the losing filter is named).
            Findings are printed on standard output as `file:line: error|warning: Kind ns/name: path: message`
            (or a JSON array with -o json), a summary on stderr. Exit 0 with only warnings, 1 with errors.

              meshctl check infra/samples/demo/*.yaml
              meshctl check infra/samples/demo/broken            # exits 1: a missing subset, weights not summing to 100
              meshctl check manifests/ --warnings-as-errors -o json
            """);
        common.AddTo(command, outDir: false);
        command.Add(warningsAsErrors);
        command.Add(clusterDomain);
        command.SetAction(result =>
        {
            var input = new InputReader(console.In).Read(result.GetValue(common.Paths));
            IReadOnlyList<Diagnostic> findings;
            try
            {
                var settings = RenderSettings.Default with { ClusterDomain = result.GetValue(clusterDomain) ?? "cluster.local" };
                findings = [.. input.Diagnostics, .. CheckPipeline.Analyze(input.Manifests, settings)];
            }
#pragma warning disable CA1031 // a bug in a rule must end as a message and exit code, not a stack trace
            catch (Exception ex)
#pragma warning restore CA1031
            {
                DiagnosticPrinter.Print(console.Error, input.Diagnostics);
                console.Error.WriteLine($"meshctl check: internal error: {ex.GetType().Name}: {ex.Message}");
                return ExitCodes.InputErrors;
            }

            if (common.Format(result) == OutputFormat.Json)
            {
                console.Out.Write(ObjectFormatter.FormatOne(new JsonArray(findings.Select(ToJson).ToArray()), OutputFormat.Json));
            }
            else
            {
                DiagnosticPrinter.Print(console.Out, findings);
            }

            console.Out.Flush();
            console.Error.WriteLine($"meshctl check: {input.Manifests.Count} objects, {DiagnosticPrinter.Summary(findings)}");
            var failing = findings.Any(d => d.Severity == Severity.Error) || (result.GetValue(warningsAsErrors) && findings.Count > 0);
            return failing ? ExitCodes.InputErrors : ExitCodes.Ok;
        });
        return command;
    }

    private static JsonNode ToJson(Diagnostic d) => new JsonObject
    {
        ["severity"] = d.Severity == Severity.Error ? "error" : "warning",
        ["file"] = d.Location is { } l ? l.File ?? "<stdin>" : null,
        ["line"] = d.Location?.Line,
        ["subject"] = d.Subject,
        ["path"] = d.Path,
        ["message"] = d.Message,
        ["code"] = d.Code,
    };
}
