using System.CommandLine;
using MeshFunctions.Cli.Output;

namespace MeshFunctions.Cli.Commands;

/// <summary>Options every command shares; new instances per command so each help text lists them.</summary>
internal sealed class CommonOptions
{
    public Argument<string[]> Paths { get; } = CreatePaths("paths", "Files, directories (read recursively: *.yaml, *.yml) or '-' for standard input. No path: standard input.");

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> OutDir { get; } = new("--out-dir")
    {
        Description = "Write one file per object (<namespace>/<kind>-<name>.yaml) into this directory instead of standard output. "
            + "The directory is replaced as a whole, and only when every input is valid.",
        HelpName = "dir",
    };

    public void AddTo(Command command, bool paths = true, bool outDir = true)
    {
        if (paths)
        {
            command.Add(Paths);
        }

        command.Add(Output);
        if (outDir)
        {
            command.Add(OutDir);
        }
    }

    public OutputFormat Format(ParseResult result) =>
        string.Equals(result.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Yaml;

    /// <summary>A path argument that refuses option-like tokens, so a mistyped option is a usage error and not a missing file.</summary>
    public static Argument<string[]> CreatePaths(string name, string description)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    r.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        return argument;
    }

    /// <summary>One required path, with the same refusal of option-like tokens.</summary>
    public static Argument<string> CreatePath(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && r.Tokens[0].Value is { Length: > 1 } value && value[0] == '-')
            {
                r.AddError($"Unrecognized option '{value}'.");
            }
        });
        return argument;
    }

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "yaml",
            HelpName = "yaml|json",
        };
        option.AcceptOnlyFromAmong("yaml", "json");
        return option;
    }
}
