using Google.Protobuf;
using MeshFunctions.TestKit.Functions.Host.Internal;
using MeshFunctions.TestKit.Functions.Host.Rpc;

namespace MeshFunctions.TestKit.Tests.Functions;

/// <summary>How the host stand-in turns an output value the worker returned into queue messages.</summary>
public sealed class TypedDataMessagesTests
{
    [Fact]
    public void From_JsonArray_OneMessagePerItemStringsAsTextNullsDropped()
    {
        var messages = TypedDataMessages.From(new TypedData { Json = """["a", {"n": 1}, null, 2]""" });

        Assert.Equal(["a", """{"n": 1}""", "2"], messages.Select(m => m.ToString()));
    }

    [Fact]
    public void From_ScalarsAndCollections_AsTheHostWritesThem()
    {
        Assert.Equal(["text"], TypedDataMessages.From(new TypedData { String = "text" }).Select(m => m.ToString()));
        Assert.Equal(["""{"a":1}"""], TypedDataMessages.From(new TypedData { Json = """{"a":1}""" }).Select(m => m.ToString()));
        Assert.Equal([[1, 2]], TypedDataMessages.From(new TypedData { Bytes = ByteString.CopyFrom(1, 2) }).Select(m => m.ToArray()));
        Assert.Equal(["x", "y"], TypedDataMessages.From(new TypedData { CollectionString = new CollectionString { String = { "x", "y" } } }).Select(m => m.ToString()));
        Assert.Equal(["42"], TypedDataMessages.From(new TypedData { Int = 42 }).Select(m => m.ToString()));
    }

    [Fact]
    public void From_NullOrEmpty_WritesNothing()
    {
        Assert.Empty(TypedDataMessages.From(null));
        Assert.Empty(TypedDataMessages.From(new TypedData()));
        Assert.Empty(TypedDataMessages.From(new TypedData { Json = "null" }));
    }
}
