using System.Text;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Tests.Protocol;

/// <summary>
/// Lifetimes of a review's objects: a borrowed object (the endpoint's, over the pooled body) parses into a pooled document
/// that is unusable once the request is disposed, while its node tree is a private copy; an owned object needs no disposal.
/// </summary>
public sealed class ReviewObjectTests
{
    private const string Pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},"spec":{"containers":[{"name":"app"}]}}""";

    private const string Review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},
         "operation":"UPDATE","object":
        """ + Pod + ""","oldObject":""" + Pod + "}}";

    [Fact]
    public void Element_BorrowedObjectAfterDispose_ThrowsObjectDisposed()
    {
        var body = Encoding.UTF8.GetBytes(Review);
        var request = AdmissionReviewReader.ReadBorrowing(body, 64);
        var element = request.ObjectJson!.Element;
        Assert.Equal("web", element.GetProperty("metadata").GetProperty("labels").GetProperty("app").GetString());

        request.Dispose();

        Assert.Throws<ObjectDisposedException>(() => element.GetProperty("metadata"));
        Assert.Throws<ObjectDisposedException>(() => request.ObjectJson.Element.GetProperty("metadata"));
        Assert.Throws<ObjectDisposedException>(() => request.OldObjectJson!.Element);
        Assert.Throws<ObjectDisposedException>(() => request.ObjectJson.Utf8.Length);
    }

    [Fact]
    public void Node_BorrowedObject_OutlivesTheRequestAndItsBody()
    {
        var body = Encoding.UTF8.GetBytes(Review);
        var request = AdmissionReviewReader.ReadBorrowing(body, 64);
        _ = request.ObjectJson!.Element;
        var node = request.Object!;

        request.Dispose();
        // The pooled body is reused by the next request.
        Array.Fill(body, (byte)' ');

        Assert.Equal(Pod, node.ToJsonString());
        Assert.Equal("app", node["spec"]!["containers"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Element_OwnedObject_OutlivesTheBodyWithoutDisposal()
    {
        var body = Encoding.UTF8.GetBytes(Review);
        var request = AdmissionReviewReader.Read(body, 64);
        Array.Fill(body, (byte)' ');

        Assert.Equal(Pod, request.ObjectJson!.Element.GetRawText());
        Assert.Equal(Pod, request.OldObject!.ToJsonString());
    }
}
