namespace MeshFunctions.Cli.Output;

/// <summary>A destination could not be written; the message names the user's path, not a temporary one.</summary>
internal sealed class OutputException : Exception
{
    public OutputException()
    {
    }

    public OutputException(string message)
        : base(message)
    {
    }

    public OutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
