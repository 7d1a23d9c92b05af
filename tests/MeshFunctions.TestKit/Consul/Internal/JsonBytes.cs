using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>Serialises with a <see cref="Utf8JsonWriter"/> that, like Go, leaves quotes and '+' unescaped.</summary>
internal static class JsonBytes
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
