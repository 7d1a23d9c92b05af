using System.CommandLine;
using MeshFunctions.Cli.Commands;

namespace MeshFunctions.Cli;

/// <summary>Composes the <c>meshctl</c> command tree and runs it; the single entry point for Program and tests.</summary>
internal static class Meshctl
{
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand(
            "meshctl runs MeshFunctions' core on manifest files: render Routers, IstioFilters and RateLimits to Istio\n"
            + "objects, show what the admission webhook would inject, check a set of manifests like `istioctl analyze`,\n"
            + "plan make-before-break transitions, and create a multi-cluster CA for Istio (certs). No cluster needed.\n\n"
            + "Exit codes: 0 ok, 1 errors in the input (nothing is written), 2 wrong command line, 3 internal error (a bug; please report it).");
        var help = HelpExamples.Install(root);
        root.Add(RenderCommand.Create(console, help));
        root.Add(InjectCommand.Create(console, help));
        root.Add(CheckCommand.Create(console, help));
        root.Add(PlanCommand.Create(console, help));
        root.Add(CertsCommand.Create(console, help));
        root.Add(PublishCommand.Create(console, help));
        return root;
    }

    /// <summary>Parses and invokes; usage errors exit with <see cref="ExitCodes.Usage"/>, bugs with <see cref="ExitCodes.Internal"/>.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        ParseResult? result = null;
        try
        {
            var root = CreateRootCommand(console);
            result = root.Parse(args);
            var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
            if (result.Errors.Count > 0 && result.Action is System.CommandLine.Invocation.ParseErrorAction)
            {
                var usage = Usage(result);
                foreach (var error in result.Errors)
                {
                    console.Error.WriteLine($"{usage}: {error.Message}");
                }

                console.Error.WriteLine($"Run '{usage} --help' for usage.");
                return ExitCodes.Usage;
            }

            return result.Invoke(configuration);
        }
#pragma warning disable CA1031 // the last line of defence: a bug ends as a message and exit code 3, never a stack trace
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ExitCodes.ReportInternal(console.Error, result is null ? "meshctl" : Usage(result), ex);
        }
    }

    private static string Usage(ParseResult result)
    {
        var names = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, c.Command is RootCommand ? "meshctl" : c.Command.Name);
        }

        return string.Join(' ', names);
    }
}
