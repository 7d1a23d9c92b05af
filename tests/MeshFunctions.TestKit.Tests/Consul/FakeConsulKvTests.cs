using System.Text.Json.Nodes;

namespace MeshFunctions.TestKit.Tests.Consul;

public sealed class FakeConsulKvTests : FakeConsulTestBase
{
    [Fact]
    public async Task Get_ExistingKey_Base64ValueInCapturedShapeAndModifyIndex()
    {
        Consul.PutKv("zip", "test");

        var reply = await Http.GetAsync("/v1/kv/zip");

        Assert.Equal(200, reply.Status);
        Assert.Empty(JsonShape.Differences(JsonNode.Parse(CapturedShapes.KvEntry), reply.Json));
        Assert.Equal("dGVzdA==", reply.Json![0]!["Value"]!.GetValue<string>());
        Assert.Equal(reply.Json![0]!["ModifyIndex"]!.GetValue<ulong>(), reply.Index);
    }

    [Fact]
    public async Task Get_MissingKey_404EmptyBodyWithAllMetaHeaders()
    {
        var reply = await Http.GetAsync("/v1/kv/missing");

        Assert.Equal(404, reply.Status);
        Assert.Empty(reply.Body);
        Assert.True(reply.Index >= 1);
        Assert.Equal("true", reply.Headers["X-Consul-KnownLeader"]);
        Assert.Equal("0", reply.Headers["X-Consul-LastContact"]);
    }

    [Fact]
    public async Task Put_EncodedSlashInPath_StoredUnderDecodedKey()
    {
        var put = await Http.PutAsync("/v1/kv/cfg%2Fapp", "hello");

        Assert.Equal("true", put.Text);
        Assert.Equal("hello", (await Http.GetAsync("/v1/kv/cfg/app?raw")).Text);
        Assert.Equal("hello", (await Http.GetAsync("/v1/kv/cfg%2Fapp?raw=1")).Text);
    }

    [Fact]
    public async Task Get_RecurseAndKeysWithSeparator_ListLikeConsul()
    {
        Consul.PutKv("app/a", "1");
        Consul.PutKv("app/sub/b", "2");
        Consul.PutKv("app/sub/c", "3");
        Consul.PutKv("other", "4");

        var recurse = await Http.GetAsync("/v1/kv/app/?recurse=true");
        var keys = await Http.GetAsync("/v1/kv/app/?keys&separator=/");
        var none = await Http.GetAsync("/v1/kv/zzz/?recurse");

        Assert.Equal(["app/a", "app/sub/b", "app/sub/c"], recurse.Json!.AsArray().Select(e => e!["Key"]!.GetValue<string>()));
        Assert.Equal(recurse.Json!.AsArray().Max(e => e!["ModifyIndex"]!.GetValue<ulong>()), recurse.Index);
        Assert.Equal(["app/a", "app/sub/"], keys.Json!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(404, none.Status);
    }

    [Fact]
    public async Task Put_CasAndFlags_OnlyMatchingIndexWins()
    {
        Assert.Equal("true", (await Http.PutAsync("/v1/kv/lock?cas=0&flags=42", "a")).Text);
        Assert.Equal("false", (await Http.PutAsync("/v1/kv/lock?cas=0", "b")).Text);
        var current = (await Http.GetAsync("/v1/kv/lock")).Json![0]!;
        var modify = current["ModifyIndex"]!.GetValue<ulong>();

        Assert.Equal("false", (await Http.PutAsync($"/v1/kv/lock?cas={modify + 100}", "c")).Text);
        Assert.Equal("true", (await Http.PutAsync($"/v1/kv/lock?cas={modify}&flags=7", "d")).Text);
        var after = (await Http.GetAsync("/v1/kv/lock")).Json![0]!;
        Assert.Equal(42UL, current["Flags"]!.GetValue<ulong>());
        Assert.Equal(7UL, after["Flags"]!.GetValue<ulong>());
        Assert.Equal("ZA==", after["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_EmptyBody_ValueIsNull()
    {
        await Http.PutAsync("/v1/kv/empty");

        Assert.Null((await Http.GetAsync("/v1/kv/empty")).Json![0]!["Value"]);
    }

    [Fact]
    public async Task Put_AcquireAndRelease_SessionAndLockIndex()
    {
        Assert.Equal("true", (await Http.PutAsync("/v1/kv/leader?acquire=s1", "me")).Text);
        Assert.Equal("false", (await Http.PutAsync("/v1/kv/leader?acquire=s2", "you")).Text);
        var held = (await Http.GetAsync("/v1/kv/leader")).Json![0]!;
        Assert.Equal("true", (await Http.PutAsync("/v1/kv/leader?release=s1", "me")).Text);
        var released = (await Http.GetAsync("/v1/kv/leader")).Json![0]!.AsObject();

        Assert.Equal("s1", held["Session"]!.GetValue<string>());
        Assert.Equal(1UL, held["LockIndex"]!.GetValue<ulong>());
        Assert.False(released.ContainsKey("Session"));
    }

    [Fact]
    public async Task Delete_Recurse_RemovesPrefixAndMovesListIndex()
    {
        Consul.PutKv("svc/a", "1");
        Consul.PutKv("svc/b", "2");
        Consul.PutKv("keep", "3");
        var before = (await Http.GetAsync("/v1/kv/svc/?recurse")).Index;

        var delete = await Http.SendAsync(HttpMethod.Delete, "/v1/kv/svc/?recurse");
        var after = await Http.GetAsync("/v1/kv/svc/?recurse");

        Assert.Equal("true", delete.Text);
        Assert.Equal(404, after.Status);
        Assert.True(after.Index > before);
        Assert.Equal(200, (await Http.GetAsync("/v1/kv/keep")).Status);
    }

    [Fact]
    public async Task Put_TooLarge_413AndNothingStored()
    {
        var reply = await Http.PutAsync("/v1/kv/big", new string('x', 512 * 1024 + 1));

        Assert.Equal(413, reply.Status);
        Assert.Equal(404, (await Http.GetAsync("/v1/kv/big")).Status);
    }

    [Theory]
    [InlineData("flags=x", "Invalid flags")]
    [InlineData("cas=-1", "Invalid cas index")]
    public async Task Put_BadNumbers_400NamingTheParameter(string parameter, string message)
    {
        var reply = await Http.PutAsync("/v1/kv/k?" + parameter, "v");

        Assert.Equal(400, reply.Status);
        Assert.Equal(message, reply.Text);
    }
}
