using System.Text.Json.Nodes;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>JSON building helpers of the filter engine (see <see cref="JsonTree"/> for walking into objects).</summary>
internal static class JsonObjects
{
    public static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(JsonValue.Create(v));
        }

        return array;
    }
}
