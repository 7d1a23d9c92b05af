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
}
