namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>What one meshctl invocation produced.</summary>
internal sealed record MeshctlRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs meshctl through its real entry point (<see cref="Meshctl.Run"/>) with captured streams.</summary>
    public static MeshctlRun WithStdin(string? stdin, params string[] args)
    {
        using var input = new StringReader(stdin ?? string.Empty);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = Meshctl.Run(args, new CliConsole(input, output, error));
        return new MeshctlRun(exit, output.ToString(), error.ToString());
    }

    public static MeshctlRun Invoke(params string[] args) => WithStdin(null, args);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
