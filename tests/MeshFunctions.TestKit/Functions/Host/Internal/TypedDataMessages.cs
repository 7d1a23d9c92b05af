using System.Globalization;
using System.Text.Json;
using MeshFunctions.TestKit.Functions.Host.Rpc;

namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>
/// The queue messages one output value stands for, as the host's queue binding writes them: a JSON array or a collection
/// fans out into one message per item, a string item is written as its text, null or no value writes nothing.
/// </summary>
internal static class TypedDataMessages
{
    public static List<BinaryData> From(TypedData? data)
    {
        switch (data?.DataCase)
        {
            case null or TypedData.DataOneofCase.None:
                return [];
            case TypedData.DataOneofCase.String:
                return [BinaryData.FromString(data.String)];
            case TypedData.DataOneofCase.Bytes:
                return [BinaryData.FromBytes(data.Bytes.ToByteArray())];
            case TypedData.DataOneofCase.Json:
                using (var document = JsonDocument.Parse(data.Json))
                {
                    var root = document.RootElement;
                    return root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().SelectMany(Item)] : Item(root);
                }

            case TypedData.DataOneofCase.CollectionString:
                return [.. data.CollectionString.String.Select(BinaryData.FromString)];
            case TypedData.DataOneofCase.CollectionBytes:
                return [.. data.CollectionBytes.Bytes.Select(b => BinaryData.FromBytes(b.ToByteArray()))];
            case TypedData.DataOneofCase.Int:
                return [BinaryData.FromString(data.Int.ToString(CultureInfo.InvariantCulture))];
            case TypedData.DataOneofCase.Double:
                return [BinaryData.FromString(data.Double.ToString(CultureInfo.InvariantCulture))];
            default:
                throw new NotSupportedException($"the host stand-in cannot write a {data.DataCase} output to a queue");
        }
    }

    private static List<BinaryData> Item(JsonElement item) => item.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        JsonValueKind.String => [BinaryData.FromString(item.GetString()!)],
        _ => [BinaryData.FromString(item.GetRawText())],
    };
}
