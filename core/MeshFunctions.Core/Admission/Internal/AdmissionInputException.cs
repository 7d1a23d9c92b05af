namespace MeshFunctions.Core.Admission.Internal;

/// <summary>An admitted object has the wrong shape; turned into a denial naming <see cref="Path"/>.</summary>
internal sealed class AdmissionInputException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;

    public string Describe() => string.IsNullOrEmpty(Path) ? Message : Path + ": " + Message;
}
