using System.Numerics;
using System.Text.Json;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// A checked container list (<see cref="JsonNav.Containers{T}"/>) with which of its containers are named
/// <c>istio-proxy</c>, noted while the names were checked (so that the rules do not look the names up again).
/// </summary>
internal readonly struct ContainerList<T>(T[] items, ulong proxies, JsonValueKind kind)
    where T : struct, IJsonView<T>
{
    /// <summary>How many containers are noted in the mask; later ones are asked by name.</summary>
    public const int Noted = 64;

    /// <summary>The kind of the list itself: an array, or absent or null (no containers).</summary>
    public JsonValueKind Kind => kind;

    public T[] Items => items ?? [];

    public int Length => Items.Length;

    public T this[int index] => items[index];

    /// <summary>True when container <paramref name="index"/> is named <c>istio-proxy</c>.</summary>
    public bool IsProxy(int index) => index < Noted
        ? ((proxies >> index) & 1) != 0
        : items[index][PodFields.Name].ValueEquals(IstioKeys.ProxyContainer);

    /// <summary>The first container named <c>istio-proxy</c>; -1 when there is none.</summary>
    public int IndexOfProxy()
    {
        if (proxies != 0)
        {
            return BitOperations.TrailingZeroCount(proxies);
        }

        for (var i = Noted; i < Length; i++)
        {
            if (IsProxy(i))
            {
                return i;
            }
        }

        return -1;
    }
}
