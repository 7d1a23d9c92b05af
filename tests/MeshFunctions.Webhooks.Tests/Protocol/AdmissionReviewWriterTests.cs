using System.Text;
using System.Text.Json;
using MeshFunctions.Core.Admission;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Tests.Protocol;

/// <summary>
/// The pre-built allowed answer (<see cref="AdmissionReviewWriter.WriteAllowed"/>, the endpoint's common case) is byte for
/// byte what the JSON writer gives the same outcome, and is used only when it can be: an allowed outcome with nothing
/// else and a uid JSON writes without escapes.
/// </summary>
public sealed class AdmissionReviewWriterTests
{
    private const string Characters = "abcdefABCDEF0123456789-._:\"\\/ é+<\u0001";

    [Fact]
    public void WriteAllowed_RandomUids_SameBytesAsJsonWriter()
    {
        var (spliced, written) = (0, 0);
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var uid = random.Next(3) == 0
                ? new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString()
                : new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Characters[random.Next(Characters.Length)]).ToArray());
            var expected = Written(uid, AdmissionOutcome.Allow());
            var length = AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Allow());
            if (length == 0)
            {
                // Only a uid JSON escapes (or writes differently) falls back to the writer.
                Assert.Contains(uid, c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':'));
                written++;
                continue;
            }

            var buffer = new byte[length + 8];
            AdmissionReviewWriter.WriteAllowed(buffer, uid);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(buffer, 0, length));
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            Assert.Equal(uid, document.RootElement.GetProperty("response").GetProperty("uid").GetString());
            spliced++;
        }

        Assert.True(spliced > 500 && written > 500, $"spliced {spliced}, written {written}");
    }

    [Fact]
    public void AllowedLength_AnythingBesidesAllowed_UsesTheWriter()
    {
        const string uid = "0b1c9a4e-bench";
        Assert.True(AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Allow()) > 0);
        Assert.Equal(0, AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Deny(403, "no")));
        Assert.Equal(0, AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Allow(["advice"])));
        Assert.Equal(0, AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Allow() with { Patch = [new JsonPatchOperation("add", "/a", null)] }));
        Assert.Equal(0, AdmissionReviewWriter.AllowedLength(uid, AdmissionOutcome.Allow() with { AuditAnnotations = new Dictionary<string, string> { ["k"] = "v" } }));
        Assert.Equal(0, AdmissionReviewWriter.AllowedLength(new string('a', 300), AdmissionOutcome.Allow()));
    }

    private static byte[] Written(string uid, AdmissionOutcome outcome)
    {
        // The endpoint's path: the cached writer over a buffer of the request's.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        AdmissionReviewWriter.Write(buffer, uid, outcome, mutating: false);
        return buffer.WrittenSpan.ToArray();
    }
}
