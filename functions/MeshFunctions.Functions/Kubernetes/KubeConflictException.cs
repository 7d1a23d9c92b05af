namespace MeshFunctions.Functions.Kubernetes;

/// <summary>409 from the API server: the object changed since it was read (or already exists). Re-read and re-apply.</summary>
internal sealed class KubeConflictException(string message, Exception inner) : Exception(message, inner);
