using System.CommandLine;
using System.Text.Json.Nodes;
using MeshFunctions.Cli.Output;
using MeshFunctions.Cli.Pipeline;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Cli.Commands;

/// <summary><c>meshctl inject</c>: what the mutating admission webhook would do to the workloads in the input.</summary>
internal static class InjectCommand
{
    public static Command Create(CliConsole console, HelpExamples help)
    {
        var common = new CommonOptions();
        var patch = new Option<bool>("--patch") { Description = "Print the RFC 6902 JSON patches the webhook would return instead of the mutated objects." };
        var revision = new Option<string?>("--revision")
        {
            Description = "Istio control-plane revision: opted-in pods get istio.io/rev=<revision> instead of sidecar.istio.io/inject=true.",
            HelpName = "rev",
        };
        var locality = new Option<string?>("--locality")
        {
            Description = "Default istio-locality (region.zone[.subzone]) for pods that no Service selects (CronJob and Job pods).",
            HelpName = "region.zone",
        };
        var poolLocality = new Option<string[]>("--node-pool-locality")
        {
            Description = "Locality of a node pool, as pool=region.zone[.subzone] (repeatable); the pool is read from the pod's nodeSelector.",
            HelpName = "pool=locality",
        };
        poolLocality.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    r.AddError($"--node-pool-locality: '{token.Value}' must be pool=region.zone[.subzone]");
                }
            }
        });
        var native = new Option<NativeSidecarMode>("--native-sidecars")
        {
            Description = "Proxy shape to prepare: Auto follows the pod, Enabled (init container, restartPolicy Always), Disabled (container).",
            DefaultValueFactory = _ => NativeSidecarMode.Auto,
            HelpName = "Auto|Enabled|Disabled",
        }.With(r => OptionValues.Choice<NativeSidecarMode>(r, "--native-sidecars"));
        var margin = new Option<int>("--prestop-margin")
        {
            Description = "Seconds the proxy's preStop sleeps longer than the longest application preStop (1-3600).",
            DefaultValueFactory = _ => 5,
            HelpName = "seconds",
        }.With(r => OptionValues.Integer(r, "--prestop-margin", 1, 3600));
        var noHold = new Option<bool>("--no-hold") { Description = "Do not set holdApplicationUntilProxyStarts nor the proxy postStart 'pilot-agent wait'." };
        var sleepAction = new Option<bool>("--sleep-action") { Description = "Write the proxy preStop as Kubernetes' sleep action (distroless proxy images) instead of exec sleep." };

        var command = new Command("inject", "Show what the mutating admission webhook would do to the workloads (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods).");
        help.Add(command, """
            A workload labelled istio-injection: enabled gets sidecar.istio.io/inject: "true" on its pods (or istio.io/rev
            with --revision); disabled or absent gets "false". Injected pods also get holdApplicationUntilProxyStarts,
            the proxy postStart 'pilot-agent wait', a proxy preStop longer than the application's, a grace period that
            fits, and istio-locality when no Service selects them. Prints the mutated workloads (default) or, with
            --patch, the JSON patches. Other objects are read but not printed. Warnings go to stderr.

              meshctl inject infra/samples/demo/workloads.yaml
              meshctl inject deploy.yaml --patch -o json
              kubectl get deploy web -o yaml | meshctl inject --revision 1-30 --locality cn-north.b
            """);
        common.AddTo(command);
        foreach (var option in new Option[] { patch, revision, locality, poolLocality, native, margin, noHold, sleepAction })
        {
            command.Add(option);
        }

        command.SetAction(result => CommandRunner.Run(console, "inject", diagnostics =>
        {
            var options = new InjectionOptions
            {
                Revision = result.GetValue(revision),
                DefaultLocality = result.GetValue(locality),
                NativeSidecars = result.GetValue(native),
                PreStopMarginSeconds = result.GetValue(margin),
                HoldApplicationUntilProxyStarts = !result.GetValue(noHold),
                UseSleepAction = result.GetValue(sleepAction),
            };
            foreach (var entry in result.GetValue(poolLocality) ?? [])
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                options.NodePoolLocalities[entry[..eq]] = entry[(eq + 1)..];
            }

            var optionErrors = options.Validate();
            if (optionErrors.Count > 0)
            {
                throw new UsageException(string.Join("; ", optionErrors.Select(d => $"{OptionName(d.Path)}: {d.Message}")));
            }

            // Workloads are kept compact while the input is read and expanded one at a time to be mutated and serialized.
            var workloads = new CompactWorkloads();
            var input = common.Read(result, console, workloads.Reduce);
            diagnostics.AddRange(input.Diagnostics);
            if (input.HasErrors)
            {
                return null;
            }

            if (result.GetValue(patch) && result.GetValue(common.OutDir) is not null)
            {
                throw new UsageException("--patch prints to standard output; it cannot be combined with --out-dir");
            }

            var format = common.Format(result);
            if (!result.GetValue(patch))
            {
                var sink = new ObjectSink(format, result.GetValue(common.OutDir));
                foreach (var obj in InjectPipeline.Run(input.Manifests, options, diagnostics, w => sink.Add(w.Mutated), workloads.Expand))
                {
                    sink.Add(obj);
                }

                return sink.ToPendingOutput();
            }

            var output = new PendingOutput();
            var documents = new List<JsonNode>();
            var created = InjectPipeline.Run(input.Manifests, options, diagnostics, w => documents.Add(w.PatchDocument()), workloads.Expand, patches: true);
            documents.AddRange(created.Select(c => (JsonNode)new JsonObject { ["object"] = ObjectKey.Of(c).ToString(), ["create"] = c.DeepClone() }));
            output.Stdout(ObjectFormatter.FormatList(documents, format));
            return output;
        }));
        return command;
    }

    /// <summary>Names the command-line option behind an <see cref="InjectionOptions"/> property in findings.</summary>
    private static string OptionName(string property) => property switch
    {
        nameof(InjectionOptions.Revision) => "--revision",
        nameof(InjectionOptions.DefaultLocality) => "--locality",
        nameof(InjectionOptions.PreStopMarginSeconds) => "--prestop-margin",
        _ when property.StartsWith(nameof(InjectionOptions.NodePoolLocalities), StringComparison.Ordinal) =>
            "--node-pool-locality" + property[nameof(InjectionOptions.NodePoolLocalities).Length..],
        _ => property,
    };
}
