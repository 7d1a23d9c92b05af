namespace MeshFunctions.Cli.Commands;

/// <summary>The command line is inconsistent in a way the parser cannot see (two options that exclude each other).</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
