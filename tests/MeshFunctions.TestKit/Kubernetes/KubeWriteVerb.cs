namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>What kind of write produced a <see cref="KubeWrite"/>.</summary>
public enum KubeWriteVerb
{
    /// <summary>POST of a new object (or <see cref="FakeKubernetesApi.Seed"/>).</summary>
    Create,

    /// <summary>PUT of the main resource.</summary>
    Update,

    /// <summary>PATCH of the main resource.</summary>
    Patch,

    /// <summary>PUT or PATCH of the <c>/status</c> subresource.</summary>
    UpdateStatus,

    /// <summary>The object left the store (DELETE, or the last finalizer removed).</summary>
    Delete,

    /// <summary>DELETE of an object with finalizers: <c>deletionTimestamp</c> set, object kept.</summary>
    MarkDeleted,
}
