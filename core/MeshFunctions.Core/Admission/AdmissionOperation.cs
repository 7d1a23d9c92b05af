namespace MeshFunctions.Core.Admission;

/// <summary>The <c>request.operation</c> of an AdmissionReview.</summary>
public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
    Connect,
}
