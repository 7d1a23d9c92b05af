using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>Turns access logging of the selected branches on or off (a <c>Telemetry</c> per branch).</summary>
public sealed record FilterAccessLog
{
    /// <summary>Required: true turns access logs on, false turns them off.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Optional provider names (MeshConfig <c>extensionProviders</c>, e.g. <c>envoy</c>); the mesh default when absent.</summary>
    public List<string>? Providers { get; init; }

    internal IEnumerable<Diagnostic> Validate(string path)
    {
        if (Enabled is null)
        {
            yield return Diagnostic.Error(path + ".enabled", "is required (true or false)");
        }

        foreach (var d in FilterRules.NonEmptyItems(Providers, path + ".providers"))
        {
            yield return d;
        }
    }
}
