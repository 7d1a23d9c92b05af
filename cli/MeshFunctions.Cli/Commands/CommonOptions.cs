using System.CommandLine;
using MeshFunctions.Cli.Input;
using MeshFunctions.Cli.Output;
using MeshFunctions.Core.Diagnostics;
using ManifestParseOptions = MeshFunctions.Core.Resources.ManifestParseOptions;
using MeshFunctions.Core.Schemas;

namespace MeshFunctions.Cli.Commands;

/// <summary>Options every command shares; new instances per command so each help text lists them.</summary>
internal sealed class CommonOptions
{
    /// <summary>The environment variable naming the CRD file when <c>--istio-crds</c> is not given.</summary>
    public const string CrdsVariable = "ISTIO_CRDS";

    /// <summary>Schemas already built in this process (building them takes a second; tests run meshctl many times).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int, int), CrdSchemas> LoadedCrds = new();

    public Argument<string[]> Paths { get; } = CreatePaths("paths", "Files, directories (read recursively: *.yaml, *.yml, *.json, any case) or '-' for standard input. No path: standard input.");

    public Option<string[]> Kustomize { get; } = new("--kustomize", "-k")
    {
        Description = "A Kustomize directory, built with 'kubectl kustomize' (repeatable).",
        HelpName = "dir",
    };

    public Option<string?> IstioCrds { get; } = new("--istio-crds")
    {
        Description = "Istio's CRDs as your cluster has them ('kubectl get crd -o yaml' output, or Istio's crd-all.gen.yaml): Istio objects are checked "
            + $"against their schemas. Default: ${CrdsVariable} when set ('' for none); otherwise only unknown top-level and spec fields of Istio kinds are caught.",
        HelpName = "file",
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> OutDir { get; } = new("--out-dir")
    {
        Description = "Write one file per object (<namespace>/<kind>-<name>.yaml) into this directory instead of standard output. "
            + "The directory is replaced as a whole, and only when every input is valid.",
        HelpName = "dir",
    };

    public void AddTo(Command command, bool paths = true, bool outDir = true, bool output = true)
    {
        if (paths)
        {
            command.Add(Paths);
            command.Add(Kustomize);
        }

        command.Add(IstioCrds);
        if (output)
        {
            command.Add(Output);
        }

        if (outDir)
        {
            command.Add(OutDir);
        }
    }

    /// <summary>Reads the command's inputs: paths, Kustomize directories, validated with the CRDs when given.</summary>
    public InputSet Read(ParseResult result, CliConsole console, Func<Core.Resources.Manifest, Core.Resources.Manifest>? reduce = null) =>
        new InputReader(console, ParseOptions(result), reduce).Read(result.GetValue(Paths), result.GetValue(Kustomize));

    /// <summary>The parser options: the CRD schemas from <c>--istio-crds</c> or <c>$ISTIO_CRDS</c>.</summary>
    /// <exception cref="ManifestException">The CRD file cannot be read or holds no CRD.</exception>
    public ManifestParseOptions ParseOptions(ParseResult result) => LoadOptions(result.GetValue(IstioCrds));

    /// <summary>Parser options with the CRDs of <paramref name="file"/> (or <c>$ISTIO_CRDS</c>) when there is one.</summary>
    public static ManifestParseOptions LoadOptions(string? file)
    {
        // An empty --istio-crds '' turns the schemas off even when $ISTIO_CRDS is set.
        var path = file ?? (Environment.GetEnvironmentVariable(CrdsVariable) is { Length: > 0 } v ? v : null);
        if (string.IsNullOrEmpty(path))
        {
            return ManifestParseOptions.Default;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var origin = file is null ? $" (from ${CrdsVariable})" : string.Empty;
            throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, $"the Istio CRD file{origin} cannot be read: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}")
            {
                Location = new SourceLocation(path, 1, 1),
                Code = DiagnosticCodes.InputFile,
            });
        }

        var key = (Path.GetFullPath(path), text.Length, text.GetHashCode(StringComparison.Ordinal));
        return new ManifestParseOptions { Crds = LoadedCrds.GetOrAdd(key, _ => CrdSchemas.Parse(text, path)) };
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
