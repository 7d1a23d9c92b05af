namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>One <c>details.causes[]</c> entry of a 422 Invalid: field path, apimachinery reason, message.</summary>
internal sealed record SchemaCause(string Field, string Reason, string Message)
{
    public static SchemaCause Required(string field) => new(field, "FieldValueRequired", "Required value");

    public override string ToString() => $"{Field}: {Message}";
}
