namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>The CRDs applied to this store and the schema check every create/update/patch passes through.</summary>
internal sealed partial class ObjectStore
{
    public CustomResourceSchemas Schemas { get; } = new();
}
