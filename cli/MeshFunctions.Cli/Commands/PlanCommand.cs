using System.CommandLine;
using MeshFunctions.Cli.Input;
using MeshFunctions.Cli.Output;
using MeshFunctions.Cli.Pipeline;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Planning;

namespace MeshFunctions.Cli.Commands;

/// <summary><c>meshctl plan</c>: the make-before-break steps from a live state to a desired one.</summary>
internal static class PlanCommand
{
    public static Command Create(CliConsole console, HelpExamples help)
    {
        var live = CommonOptions.CreatePath("live", "The objects as they are now: a file, a directory, or '-' for standard input.");
        var desired = CommonOptions.CreatePath("desired", "The objects as they should be: a file or a directory.");
        var output = new Option<string>("--output", "-o")
        {
            Description = "text: numbered steps for people; yaml/json: one document per step (apply steps carry the whole object).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|yaml|json",
        };
        output.AcceptOnlyFromAmong("text", "yaml", "json");
        var wait = new Option<TimeSpan>("--wait")
        {
            Description = "How long each wait step lets config reach the proxies (Istio has no per-resource sync status).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            HelpName = "hh:mm:ss",
        };
        var clusterDomain = new Option<string>("--cluster-domain")
        {
            Description = "The cluster's DNS domain used in rendered and short hosts.",
            DefaultValueFactory = _ => "cluster.local",
            HelpName = "domain",
        };
        var command = new Command("plan", "Print the make-before-break steps (apply, delete, wait) that take the live objects to the desired ones.");
        help.Add(command, """
            Each side is a file or directory of rendered objects, or of Routers (with IstioFilters and RateLimits), which
            are rendered first. Adding a version: the DestinationRule gains the subset, wait, then the VirtualService routes
            to it. Removing one: the VirtualService stops routing, wait, then the DestinationRule drops the subset.
            A desired state that itself routes to a missing subset is refused (exit 1).

              meshctl plan live/ desired/
              meshctl plan router-v1.yaml router-v2.yaml --wait 00:00:10
              kubectl get vs,dr -n shop -o yaml | meshctl plan - desired/ -o yaml
            """);
        command.Add(live);
        command.Add(desired);
        command.Add(output);
        command.Add(wait);
        command.Add(clusterDomain);
        command.SetAction(result => CommandRunner.Run(console, "plan", diagnostics =>
        {
            var settings = RenderSettings.Default with { ClusterDomain = result.GetValue(clusterDomain) ?? "cluster.local" };
            var reader = new InputReader(console.In);
            var liveObjects = StateLoader.Load(reader, result.GetValue(live)!, settings, diagnostics);
            var desiredObjects = StateLoader.Load(reader, result.GetValue(desired)!, settings, diagnostics);
            if (diagnostics.Any(d => d.Severity == Severity.Error))
            {
                return null;
            }

            TransitionPlan plan;
            try
            {
                plan = TransitionPlanner.Plan(liveObjects, desiredObjects, new PlanOptions { PropagationDelay = result.GetValue(wait), ClusterDomain = settings.ClusterDomain });
            }
            catch (ArgumentException ex)
            {
                var message = ex.ParamName is { } p ? ex.Message.Replace($" (Parameter '{p}')", string.Empty, StringComparison.Ordinal) : ex.Message;
                diagnostics.Add(Diagnostic.Error(string.Empty, "cannot plan: " + message));
                return null;
            }

            var pending = new PendingOutput();
            pending.Stdout(result.GetValue(output) switch
            {
                "yaml" => ObjectFormatter.FormatList(PlanFormatter.Documents(plan), OutputFormat.Yaml),
                "json" => ObjectFormatter.FormatList(PlanFormatter.Documents(plan), OutputFormat.Json),
                _ => PlanFormatter.Text(plan),
            });
            return pending;
        }));
        return command;
    }
}
