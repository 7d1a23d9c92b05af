namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>A webhook could not be called or answered something the API server would refuse; <c>failurePolicy</c> decides.</summary>
internal sealed class WebhookCallException(string message) : Exception(message);
