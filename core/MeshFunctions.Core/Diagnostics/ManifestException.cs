namespace MeshFunctions.Core.Diagnostics;

/// <summary>Thrown when an input cannot be read at all; carries every diagnostic found.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
    {
        Diagnostics = diagnostics;
    }

    public ManifestException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    /// <summary>Everything that is wrong, in input order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
