using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// One subset a VirtualService names, found by either reading of it (node tree or UTF-8 bytes): the resolved host, the
/// subset, and where: the route kind (<see cref="Kinds"/>), the route's index, the part (0 a route destination, 1
/// <c>mirror</c>, 2 <c>mirrors[]</c>) and the item's index in that part. The field path is built only when asked for
/// (the admission check never needs it).
/// </summary>
internal readonly record struct SubsetUse(string Host, string Subset, int Kind, int Route, int Part, int Item) : IComparable<SubsetUse>
{
    /// <summary>The route kinds of <c>spec</c>, in the order the walk reports them.</summary>
    public static readonly string[] Kinds = ["http", "tcp", "tls"];

    private static readonly string[] KindPaths = ["spec.http", "spec.tcp", "spec.tls"];

    /// <summary>The field, such as <c>spec.http[1].route[0].destination.subset</c>.</summary>
    public string Path
    {
        get
        {
            var route = JsonPath.Index(KindPaths[Kind], Route);
            return Part switch
            {
                0 => JsonPath.Index(route + ".route", Item) + ".destination.subset",
                1 => route + ".mirror.subset",
                _ => JsonPath.Index(route + ".mirrors", Item) + ".destination.subset",
            };
        }
    }

    /// <summary>Field order: kind, route, part, item (the order of <see cref="SubsetReferences.Collect(System.Text.Json.Nodes.JsonObject, string)"/>).</summary>
    public int CompareTo(SubsetUse other) =>
        Kind != other.Kind ? Kind.CompareTo(other.Kind)
        : Route != other.Route ? Route.CompareTo(other.Route)
        : Part != other.Part ? Part.CompareTo(other.Part)
        : Item.CompareTo(other.Item);

    public SubsetReference ToReference(string virtualServiceNamespace, string virtualServiceName) =>
        new(virtualServiceNamespace, virtualServiceName, Host, Subset, Path);
}
