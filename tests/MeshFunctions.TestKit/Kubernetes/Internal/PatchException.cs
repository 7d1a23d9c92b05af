namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>A patch that is well-formed JSON but cannot be applied to the object.</summary>
internal sealed class PatchException(string message) : Exception(message);
