using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MeshFunctions.Cli.Commands;

/// <summary>
/// Adds a "Details and examples" section after System.CommandLine's generated help, so that a command's
/// one-line description stays short in the parent's command list while its own <c>--help</c> shows examples.
/// </summary>
internal sealed class HelpExamples : SynchronousCommandLineAction
{
    private readonly Dictionary<Command, string> _texts = [];
    private readonly CommandLineAction _inner;

    private HelpExamples(CommandLineAction inner)
    {
        _inner = inner;
    }

    /// <inheritdoc />
    public override bool ClearsParseErrors => true;

    /// <summary>Replaces the root's help action; returns the registry to which commands add their text.</summary>
    public static HelpExamples Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        var examples = new HelpExamples(help.Action ?? new HelpAction());
        help.Action = examples;
        return examples;
    }

    public void Add(Command command, string text) => _texts[command] = text.TrimEnd();

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        var rc = _inner is SynchronousCommandLineAction sync ? sync.Invoke(parseResult) : 0;
        if (_texts.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Details and examples:");
            foreach (var line in text.Split('\n'))
            {
                output.WriteLine(line.Length == 0 ? string.Empty : "  " + line);
            }

            output.WriteLine();
        }

        return rc;
    }
}
