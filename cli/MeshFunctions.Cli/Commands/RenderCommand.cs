using System.CommandLine;
using MeshFunctions.Cli.Output;
using MeshFunctions.Cli.Pipeline;
using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Cli.Commands;

/// <summary><c>meshctl render</c>: Routers, IstioFilters and RateLimits → Services, VirtualServices, DestinationRules, EnvoyFilters (+ RLS config).</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console, HelpExamples help)
    {
        var common = new CommonOptions();
        var gateways = new Option<string[]>("--gateway")
        {
            Description = "Gateway the rendered VirtualServices are bound to (repeat for several; keep mesh, sandbox routes need it). Default: mesh.",
            HelpName = "name",
            AllowMultipleArgumentsPerToken = false,
        };
        var clusterDomain = new Option<string>("--cluster-domain")
        {
            Description = "The cluster's DNS domain used in rendered hosts.",
            DefaultValueFactory = _ => "cluster.local",
            HelpName = "domain",
        };
        var rlsConfig = new Option<string?>("--rls-config")
        {
            Description = "Also write the Rate Limit Service configuration (envoyproxy/ratelimit YAML) derived from the RateLimits to this file.",
            HelpName = "file",
        };
        var command = new Command("render", "Render Routers, IstioFilters and RateLimits to the Istio and Kubernetes objects to apply.");
        help.Add(command, """
            Routers become Kubernetes Services (the service's own and one per branch), one VirtualService and one
            DestinationRule per branch; IstioFilters are patched onto them in (priority, creation time, name) order;
            RateLimits become EnvoyFilters (and, with --rls-config, the Rate Limit Service's configuration).
            Other objects in the input are read and must be valid, but are not printed.
            A conflict between two IstioFilters is a warning on stderr naming the filter that lost.
            On any error in the input nothing is written: standard output stays empty, --out-dir is untouched.

              meshctl render infra/samples/seed
              meshctl render router.yaml filters/ | kubectl apply -f -
              cat router.yaml | meshctl render -o json
              meshctl render -k overlays/prod
              meshctl render infra/samples/demo --out-dir out/ --rls-config rls.yaml \\
                  --gateway mesh --gateway istio-system/svc-ingress
            """);
        common.AddTo(command);
        command.Add(gateways);
        command.Add(clusterDomain);
        command.Add(rlsConfig);
        command.SetAction(result => CommandRunner.Run(console, "render", diagnostics =>
        {
            var input = common.Read(result, console);
            diagnostics.AddRange(input.Diagnostics);
            if (input.HasErrors)
            {
                return null;
            }

            var settings = new RenderSettings(
                result.GetValue(gateways) is { Length: > 0 } g ? g : ["mesh"],
                result.GetValue(clusterDomain) ?? "cluster.local");
            var sink = new ObjectSink(common.Format(result), result.GetValue(common.OutDir));
            var rls = RenderPipeline.Render(input.Manifests, settings, diagnostics, (obj, _) => sink.Add(obj));
            var output = sink.ToPendingOutput();
            if (result.GetValue(rlsConfig) is { } rlsFile)
            {
                output.File(rlsFile, RlsConfigYaml.Write(rls));
            }

            return output;
        }));
        return command;
    }
}
