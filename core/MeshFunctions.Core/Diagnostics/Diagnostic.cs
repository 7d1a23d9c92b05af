namespace MeshFunctions.Core.Diagnostics;

/// <summary>
/// One finding about an input: which field (<see cref="Path"/>, JSON-path style such as
/// <c>spec.subsets[0].versions</c>), what is wrong, and where it came from when known.
/// </summary>
public sealed record Diagnostic(Severity Severity, string Path, string Message)
{
    /// <summary>Where the field was written, when the input came from a file.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The object the finding is about, as <c>Kind namespace/name</c>, when known.</summary>
    public string? Subject { get; init; }

    /// <summary>A stable code for tooling (for example <c>MF0101</c>), when one applies.</summary>
    public string? Code { get; init; }

    public static Diagnostic Error(string path, string message) => new(Severity.Error, path, message);

    public static Diagnostic Warning(string path, string message) => new(Severity.Warning, path, message);

    /// <summary>Formats as <c>file:line: path: message</c>, the form <c>meshctl</c> prints.</summary>
    public override string ToString()
    {
        var where = Location is { } l ? l + ": " : string.Empty;
        var subject = Subject is null ? string.Empty : Subject + ": ";
        var path = string.IsNullOrEmpty(Path) ? string.Empty : Path + ": ";
        var level = Severity == Severity.Error ? "error" : "warning";
        return $"{where}{level}: {subject}{path}{Message}";
    }
}
