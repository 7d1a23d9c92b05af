namespace MeshFunctions.Cli;

/// <summary>meshctl's process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Everything went well (warnings may have been printed).</summary>
    public const int Ok = 0;

    /// <summary>The input has errors (or, for <c>check</c>, findings at error level); nothing was written.</summary>
    public const int InputErrors = 1;

    /// <summary>The command line itself is wrong (unknown option, bad value, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>meshctl itself failed (a bug): the message says how to report it; nothing was written.</summary>
    public const int Internal = 3;

    /// <summary>Prints an internal error the same way everywhere: what failed, no stack trace, and how to report it.</summary>
    public static int ReportInternal(TextWriter error, string command, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(ex);
        error.WriteLine($"{command}: internal error: {ex.GetType().Name}: {ex.Message}");
        error.WriteLine($"{command}: this is a bug in meshctl, not in your input; nothing was written. Please open an issue in the MeshFunctions repository with this message, `meshctl --version`, the command line and the input that caused it.");
        error.Flush();
        return Internal;
    }
}
