namespace MeshFunctions.Cli.Pipeline;

/// <summary>What the command line lets the user choose about rendering.</summary>
internal sealed record RenderSettings(IReadOnlyList<string> Gateways, string ClusterDomain)
{
    public static RenderSettings Default { get; } = new(["mesh"], "cluster.local");

    /// <summary>The command-line option behind a <c>RenderOptions</c> problem (<c>Gateways: ...</c>).</summary>
    public string OptionFor(string problem) => problem.StartsWith("Gateways", StringComparison.Ordinal) ? "--gateway"
        : problem.StartsWith("ClusterDomain", StringComparison.Ordinal) ? "--cluster-domain"
        : problem.Split(':', 2)[0];
}
