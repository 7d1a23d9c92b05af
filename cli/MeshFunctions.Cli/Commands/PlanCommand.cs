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
        var desired = CommonOptions.CreatePath("desired", "The objects as they should be: a file, a directory, or '-' (when live is not).");
        live.Arity = ArgumentArity.ZeroOrOne;
        desired.Arity = ArgumentArity.ZeroOrOne;
        var allowEmpty = new Option<bool>("--allow-empty")
        {
            Description = "Plan even when one side holds no objects (an empty desired side deletes every live object).",
        };
        var crds = new CommonOptions().IstioCrds;
        var output = new Option<string>("--output", "-o")
        {
            Description = "text: numbered steps for people; yaml/json: one document per step (apply steps carry the whole object).",
            DefaultValueFactory = _ => "text",
            HelpName = "text|yaml|json",
        };
        output.AcceptOnlyFromAmong("text", "yaml", "json");
        var wait = new Option<TimeSpan>("--wait")
        {
            Description = "How long each wait step lets config reach the proxies (Istio has no per-resource sync status), as 30s, 1m30s, 500ms.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            HelpName = "duration",
        }.With(r => OptionValues.Duration(r, "--wait"));
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
            A desired state that itself routes to a missing subset is refused (exit 1). A side with no objects is refused
            unless --allow-empty is given (an empty desired side would delete everything), and so is '-' for both sides.
            The last line (stderr) counts what the plan deletes.

              meshctl plan live/ desired/
              meshctl plan router-v1.yaml router-v2.yaml --wait 10s
              kubectl get vs,dr -n shop -o yaml | meshctl plan - desired/ -o yaml
            """);
        command.Add(live);
        command.Add(desired);
        command.Add(output);
        command.Add(wait);
        command.Add(clusterDomain);
        command.Add(allowEmpty);
        command.Add(crds);
        command.SetAction(result => CommandRunner.Run(console, "plan", diagnostics =>
        {
            var (livePath, desiredPath) = (result.GetValue(live), result.GetValue(desired));
            if (livePath is null || desiredPath is null)
            {
                throw new UsageException($"missing the {(livePath is null ? "live and desired states" : "desired state")}: meshctl plan LIVE DESIRED (files, directories, or '-' for one of them)");
            }

            if (livePath == InputReader.StdinName && desiredPath == InputReader.StdinName)
            {
                throw new UsageException("'-' names standard input, which can be read only once: give live or desired as a file or directory");
            }

            var settings = RenderSettings.Default with { ClusterDomain = result.GetValue(clusterDomain) ?? "cluster.local" };
            var reader = new InputReader(console with { StdinIsTerminal = false }, CommonOptions.LoadOptions(result.GetValue(crds)));
            var liveObjects = StateLoader.Load(reader, livePath, settings, diagnostics);
            var desiredObjects = StateLoader.Load(reader, desiredPath, settings, diagnostics);
            if (diagnostics.Any(d => d.Severity == Severity.Error))
            {
                return null;
            }

            if (!result.GetValue(allowEmpty))
            {
                foreach (var (side, path, objects) in new[] { ("live", livePath, liveObjects), ("desired", desiredPath, desiredObjects) })
                {
                    if (objects.Count == 0)
                    {
                        var consequence = side == "desired" ? "the plan would delete every live object" : "the plan would create everything";
                        diagnostics.Add(new Diagnostic(Severity.Error, string.Empty, $"the {side} side holds no objects, so {consequence}; pass --allow-empty if that is meant")
                        {
                            Location = new SourceLocation(path == InputReader.StdinName ? null : path, 1, 1),
                            Code = DiagnosticCodes.InputFile,
                        });
                    }
                }

                if (diagnostics.Any(d => d.Severity == Severity.Error))
                {
                    return null;
                }
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
            pending.Note(PlanFormatter.DeletionSummary(plan));
            return pending;
        }));
        return command;
    }
}
