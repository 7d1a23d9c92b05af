namespace MeshFunctions.Core.Admission;

/// <summary>A JSON Patch cannot be read or applied; the message names the operation and path.</summary>
public sealed class JsonPatchException : Exception
{
    public JsonPatchException()
    {
    }

    public JsonPatchException(string message)
        : base(message)
    {
    }

    public JsonPatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
