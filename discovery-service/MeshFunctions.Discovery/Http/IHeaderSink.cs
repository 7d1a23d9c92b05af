namespace MeshFunctions.Discovery.Http;

/// <summary>Where <see cref="ConsulResponses"/> puts the Consul headers: Kestrel's response headers or raw HTTP/1.1 bytes.</summary>
internal interface IHeaderSink
{
    void Add(string name, string value);
}
