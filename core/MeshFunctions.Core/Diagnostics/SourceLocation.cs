namespace MeshFunctions.Core.Diagnostics;

/// <summary>A position in a source file (1-based line and column).</summary>
public readonly record struct SourceLocation(string? File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File ?? "<stdin>"}:{Line}";
}
