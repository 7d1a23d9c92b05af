using System.Text.Json.Serialization;

namespace MeshFunctions.Core.Resources;

/// <summary>The application protocol of a Router's port.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RouterProtocol>))]
public enum RouterProtocol
{
    [JsonStringEnumMemberName("http")]
    Http,

    [JsonStringEnumMemberName("grpc")]
    Grpc,

    [JsonStringEnumMemberName("tcp")]
    Tcp,
}
