namespace MeshFunctions.Core.Events;

/// <summary>A queue message that is not a CloudEvent of the expected type and shape; the message says what is wrong.</summary>
public sealed class MeshEventFormatException : Exception
{
    public MeshEventFormatException(string message)
        : base(message)
    {
    }

    public MeshEventFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
