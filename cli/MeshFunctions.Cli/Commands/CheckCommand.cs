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
        var output = new Option<string>("--output", "-o")
        {
            Description = "text: one line per finding; yaml/json: a list of findings (severity, code, file, line, subject, path, message).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|yaml|json",
        };
        output.AcceptOnlyFromAmong("text", "yaml", "json");
        var command = new Command("check", "Check a set of manifests like `istioctl analyze`: object validation and cross-object rules; exit 1 on errors.");
        help.Add(command, """
            Checks every object: YAML, apiVersion/kind, unknown fields and wrong types (built-in Kubernetes kinds against
            the models generated from Kubernetes' OpenAPI; Istio kinds against --istio-crds / $ISTIO_CRDS, or without them
            their top-level and spec field names), Router weights and names, RateLimit quotas and regexes, IstioFilter
            blocks. Then renders the Routers, IstioFilters and RateLimits and checks the written and rendered objects together:
              - a VirtualService routes or mirrors to a subset its host's DestinationRule does not define (503s);
              - risky retries on gRPC routes (retryOn unavailable/cancelled, or Istio's default policy);
              - Sidecar duplicates (two without workloadSelector in a namespace, or two with the same selector);
              - the same object defined twice; IstioFilter conflicts (the losing filter is named).
            Findings are printed on standard output as `file:line: error|warning: Kind ns/name: path: message`
            (or a list with -o yaml / -o json; every finding has a code, see the CLI README), a summary on stderr.
            Exit 0 with only warnings, 1 with errors (or warnings and --warnings-as-errors).

              meshctl check infra/samples/demo
              meshctl check infra/samples/broken                 # exits 1: a missing subset, weights not summing to 100
              meshctl check manifests/ --istio-crds istio-crds.yaml --warnings-as-errors -o json
            """);
        common.AddTo(command, outDir: false, output: false);
        command.Add(output);
        command.Add(warningsAsErrors);
        command.Add(clusterDomain);
        command.SetAction(result =>
        {
            const string name = "meshctl check";
            InputSet input;
            try
            {
                input = common.Read(result, console, CheckPipeline.Reduce);
            }
            catch (UsageException ex)
            {
                console.Error.WriteLine($"{name}: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (ManifestException ex)
            {
                DiagnosticPrinter.Print(console.Error, ex.Diagnostics);
                console.Error.WriteLine($"{name}: {DiagnosticPrinter.Summary(ex.Diagnostics)}");
                return ExitCodes.InputErrors;
            }

            IReadOnlyList<Diagnostic> findings;
            try
            {
                var settings = RenderSettings.Default with { ClusterDomain = result.GetValue(clusterDomain) ?? "cluster.local" };
                var rejected = input.Diagnostics.Where(d => d.Severity == Severity.Error && d.Subject is not null).Select(d => d.Subject!).ToHashSet(StringComparer.Ordinal);
                findings = [.. input.Diagnostics, .. CheckPipeline.Analyze(input.Manifests, settings, rejected)];
                findings = [.. findings.Select(d => d.Code is null ? d with { Code = DiagnosticCodes.ForMessage(d.Message) } : d)];
                var text = result.GetValue(output) switch
                {
                    "json" => ObjectFormatter.FormatOne(new JsonArray([.. findings.Select(ToJson)]), OutputFormat.Json),
                    "yaml" => findings.Count == 0 ? "[]\n" : ObjectFormatter.FormatOne(new JsonArray([.. findings.Select(ToJson)]), OutputFormat.Yaml),
                    _ => string.Concat(findings.Select(f => f + "\n")),
                };
                console.Out.Write(text);
                console.Out.Flush();
            }
#pragma warning disable CA1031 // a bug in a rule must end as a message and exit code, not a stack trace
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return ExitCodes.ReportInternal(console.Error, name, ex);
            }

            var errors = findings.Count(d => d.Severity == Severity.Error);
            console.Error.WriteLine($"{name}: {input.Manifests.Count} objects, {DiagnosticPrinter.Summary(findings)}");
            if (errors == 0 && findings.Count > 0 && result.GetValue(warningsAsErrors))
            {
                console.Error.WriteLine($"{name}: failing because of {findings.Count} warning{(findings.Count == 1 ? string.Empty : "s")} (--warnings-as-errors)");
                return ExitCodes.InputErrors;
            }

            return errors > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
        });
        return command;
    }

    private static JsonObject ToJson(Diagnostic d) => new()
    {
        ["severity"] = d.Severity == Severity.Error ? "error" : "warning",
        ["code"] = d.Code,
        ["file"] = d.Location is { } l ? l.File ?? "<stdin>" : null,
        ["line"] = d.Location?.Line,
        ["column"] = d.Location?.Column,
        ["subject"] = d.Subject,
        ["path"] = d.Path,
        ["message"] = d.Message,
    };
}
