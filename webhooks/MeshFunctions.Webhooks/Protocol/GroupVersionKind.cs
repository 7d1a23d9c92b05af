namespace MeshFunctions.Webhooks.Protocol;

/// <summary>A Kubernetes group/version/kind; the core group is the empty string.</summary>
internal readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    public override string ToString() => Group.Length == 0 ? $"{Version}/{Kind}" : $"{Group}/{Version}/{Kind}";
}
