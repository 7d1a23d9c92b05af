using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// (priority, creation time, namespace, name, uid) — EnvoyFilter's order, made total so that the result
/// never depends on the order filters arrive in. A missing creation time sorts first.
/// </summary>
internal sealed class FilterOrder : IComparer<IstioFilter>
{
    public static readonly FilterOrder Instance = new();

    public int Compare(IstioFilter? x, IstioFilter? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var c = x.Spec.Priority.CompareTo(y.Spec.Priority);
        if (c != 0)
        {
            return c;
        }

        c = Nullable.Compare(x.Metadata.CreationTimestamp, y.Metadata.CreationTimestamp);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(x.Metadata.NamespaceOrDefault, y.Metadata.NamespaceOrDefault);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(x.Metadata.Name, y.Metadata.Name);
        return c != 0 ? c : string.CompareOrdinal(x.Metadata.Uid, y.Metadata.Uid);
    }
}
