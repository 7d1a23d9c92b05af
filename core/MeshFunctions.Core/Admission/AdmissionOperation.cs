namespace MeshFunctions.Core.Admission;

/// <summary>The <c>request.operation</c> of an AdmissionReview.</summary>
public enum AdmissionOperation
{
    /// <summary><c>CREATE</c>.</summary>
    Create,

    /// <summary><c>UPDATE</c>.</summary>
    Update,

    /// <summary><c>DELETE</c>.</summary>
    Delete,

    /// <summary><c>CONNECT</c>.</summary>
    Connect,
}
