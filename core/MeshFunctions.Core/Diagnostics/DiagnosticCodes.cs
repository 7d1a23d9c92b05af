namespace MeshFunctions.Core.Diagnostics;

/// <summary>
/// The stable codes of input findings (the CLI README lists every code with its meaning and fix). Rule
/// findings have their own codes next to their rule (MF01xx subsets, MF03xx IstioFilters, MF05xx gRPC retries,
/// MF06xx Sidecars).
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The same object (kind, namespace, name) is defined twice.</summary>
    public const string Duplicate = "MF0001";

    /// <summary>An input path cannot be read (missing, unreadable, a Kustomize directory without -k, a symlink loop).</summary>
    public const string InputFile = "MF0002";

    /// <summary>The text is not valid YAML (syntax, tabs, duplicate or non-string keys, values JSON cannot hold).</summary>
    public const string Syntax = "MF0010";

    /// <summary>A document is nested too deep or has too many nodes (after alias expansion).</summary>
    public const string Limit = "MF0011";

    /// <summary>apiVersion or kind missing, not a string, unknown, or not matching each other.</summary>
    public const string Kind = "MF0020";

    /// <summary>A field the kind's schema does not have (usually a typo).</summary>
    public const string UnknownField = "MF0021";

    /// <summary>A field's value has the wrong type (a string where a number is expected, a map for a list...).</summary>
    public const string WrongType = "MF0022";

    /// <summary>A required field is missing.</summary>
    public const string Required = "MF0023";

    /// <summary>A value breaks a rule of its kind (a name, a range, weights that do not sum to 100...).</summary>
    public const string InvalidValue = "MF0030";

    /// <summary>Rendering refused an object that parsed.</summary>
    public const string Render = "MF0040";

    /// <summary>The admission webhook would deny a workload.</summary>
    public const string InjectDenied = "MF0701";

    /// <summary>The admission webhook would admit a workload with a warning.</summary>
    public const string InjectWarning = "MF0702";

    /// <summary>The code a parser finding gets from its message when its producer set none.</summary>
    public static string ForMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            _ when message.StartsWith("unknown field", StringComparison.Ordinal) => UnknownField,
            _ when message.StartsWith("has the wrong type", StringComparison.Ordinal) => WrongType,
            _ when message.StartsWith("is required", StringComparison.Ordinal) => Required,
            _ => InvalidValue,
        };
    }
}
