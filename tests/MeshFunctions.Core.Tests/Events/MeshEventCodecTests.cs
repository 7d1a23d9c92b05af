using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Core.Tests.Events;

public sealed class MeshEventCodecTests
{
    private static readonly Uri Source = new("/discovery/replica-1", UriKind.Relative);
    private static readonly DateTimeOffset Time = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Types => [MeshEventTypes.ConsulService, MeshEventTypes.Dependency, MeshEventTypes.MeshConfig, MeshEventTypes.Deploy];

    [Fact]
    public void Encode_ConsulEvent_RoundTripsWithEnvelope()
    {
        var sent = new MeshEvent<ConsulServiceEvent>("e-1", Source, MeshEventTypes.ConsulService, Time, "checkout",
            new ConsulServiceEvent("checkout", "dc1", ConsulServiceChange.Appeared, 42, ["v1", "http"]));

        var body = MeshEventCodec.Encode(sent);
        var received = MeshEventCodec.Decode<ConsulServiceEvent>(body, MeshEventTypes.ConsulService);

        Assert.Equal(sent with { Data = received.Data }, received);
        Assert.Equal(sent.Data.Tags, received.Data.Tags);
        Assert.Equal(sent.Data with { Tags = received.Data.Tags }, received.Data);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("1.0", (string?)json["specversion"]);
        Assert.Equal("appeared", (string?)json["data"]!["change"]);
        Assert.Equal(MeshEventTypes.ConsulService, MeshEventCodec.ReadType(body));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Encode_EachType_DataValidatesAgainstItsSchema(string type)
    {
        var body = type switch
        {
            MeshEventTypes.ConsulService => MeshEventCodec.Encode(new MeshEvent<ConsulServiceEvent>("1", Source, type, Time, null,
                new ConsulServiceEvent("web", "dc1", ConsulServiceChange.Disappeared, 7, []))),
            MeshEventTypes.Dependency => MeshEventCodec.Encode(new MeshEvent<DependencyEvent>("2", Source, type, Time, null,
                new DependencyEvent("shop", "frontend", "shop", "checkout"))),
            MeshEventTypes.Deploy => MeshEventCodec.Encode(new MeshEvent<DeployEvent>("4", Source, type, Time, "shop/checkout",
                new DeployEvent("shop", "checkout", "master", DeployAction.RolledBack, "v1", new Dictionary<string, int> { ["v1"] = 100 }, 3, 8080))),
            _ => MeshEventCodec.Encode(new MeshEvent<MeshConfigEvent>("3", Source, type, Time, "shop/checkout",
                new MeshConfigEvent("Router", "shop", "checkout", "UPDATE", 3))),
        };

        var data = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data");
        var result = LoadSchema(type).Evaluate(data, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Values)));
    }

    [Theory]
    [InlineData("", "the message is empty")]
    [InlineData("{not json", "not a CloudEvent in structured JSON mode")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/x","type":"com.other.v1","data":{}}""", "event type is 'com.other.v1'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/x","type":"com.meshfunctions.dependency.v1","data":[1]}""", "data must be a JSON object")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/x","type":"com.meshfunctions.dependency.v1","data":{"callerNamespace":"a","callerWorkload":"b","targetNamespace":"c","targetService":"d","extra":1}}""", "invalid data")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/x","type":"com.meshfunctions.dependency.v1","data":{"callerNamespace":"a"}}""", "invalid data")]
    [InlineData("""{"id":"1","source":"/x","type":"com.meshfunctions.dependency.v1","data":{}}""", "not a CloudEvent")]
    public void Decode_BadMessage_ThrowsSpecificError(string body, string expected)
    {
        var ex = Assert.Throws<MeshEventFormatException>(() => MeshEventCodec.Decode<DependencyEvent>(Encoding.UTF8.GetBytes(body), MeshEventTypes.Dependency));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EnumAsNumber_IsRejected()
    {
        var body = """{"specversion":"1.0","id":"1","source":"/x","type":"com.meshfunctions.consul.service.v1","data":{"service":"a","datacenter":"dc1","change":0,"consulIndex":1,"tags":[]}}""";

        var ex = Assert.Throws<MeshEventFormatException>(() => MeshEventCodec.Decode<ConsulServiceEvent>(Encoding.UTF8.GetBytes(body), MeshEventTypes.ConsulService));

        Assert.Contains("data.change", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OversizedMessage_IsRejectedBeforeParsing()
    {
        var body = new byte[MeshEventCodec.MaxEventBytes + 1];

        var ex = Assert.Throws<MeshEventFormatException>(() => MeshEventCodec.Decode<DependencyEvent>(body, MeshEventTypes.Dependency));

        Assert.Contains("more than the 65536", ex.Message, StringComparison.Ordinal);
    }

    private static JsonSchema LoadSchema(string type)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "EventSchemas", type + ".json");
        return JsonSchema.FromText(File.ReadAllText(path));
    }
}
