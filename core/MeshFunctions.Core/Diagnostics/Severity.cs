namespace MeshFunctions.Core.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum Severity
{
    /// <summary>Advice; never blocks anything.</summary>
    Warning,

    /// <summary>The input is rejected.</summary>
    Error,
}
