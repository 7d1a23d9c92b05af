using MeshFunctions.Core.Discovery;

namespace MeshFunctions.Core.Tests.Discovery;

public sealed class DiscoveryRuleTests
{
    private static readonly CallerState MeshCaller = new("shop", "checkout", InMesh: true, ResourceVersion: 10);
    private static readonly CallerState LegacyCaller = new("shop", "legacy", InMesh: false, ResourceVersion: 11);
    private static readonly TargetState MeshTarget = new("shop", "web", RouterExists: true, RolledBack: false, "10.96.0.10", 8080, ReadyEndpoints: 2, ChangeVersion: 20);

    [Fact]
    public void Decide_MeshCallerMeshTarget_Mesh() =>
        Assert.Equal(AnswerKind.Mesh, DiscoveryRule.Decide(MeshCaller, MeshTarget, globalRollback: false));

    [Fact]
    public void Decide_GlobalRollback_ProxyForEveryone()
    {
        Assert.Equal(AnswerKind.Proxy, DiscoveryRule.Decide(MeshCaller, MeshTarget, globalRollback: true));
        Assert.Equal(AnswerKind.Proxy, DiscoveryRule.Decide(null, null, globalRollback: true));
    }

    [Fact]
    public void Decide_LegacyOrUnknownCaller_Legacy()
    {
        Assert.Equal(AnswerKind.Legacy, DiscoveryRule.Decide(LegacyCaller, MeshTarget, globalRollback: false));
        Assert.Equal(AnswerKind.Legacy, DiscoveryRule.Decide(null, MeshTarget, globalRollback: false));
    }

    public static TheoryData<TargetState?> NotInMesh() =>
    [
        null,
        MeshTarget with { RouterExists = false },
        MeshTarget with { RolledBack = true },
        MeshTarget with { ReadyEndpoints = 0 },
        MeshTarget with { ServiceIp = null },
        MeshTarget with { ServiceIp = "None" },
        MeshTarget with { Port = 0 },
    ];

    [Theory]
    [MemberData(nameof(NotInMesh))]
    public void Decide_TargetNotFullyInMesh_LegacyNeverServiceIp(TargetState? target) =>
        Assert.Equal(AnswerKind.Legacy, DiscoveryRule.Decide(MeshCaller, target, globalRollback: false));

    [Theory]
    [InlineData("true", null, true)]
    [InlineData("TRUE", null, true)]
    [InlineData("false", null, false)]
    [InlineData(null, "{\"containers\":[\"istio-proxy\"]}", true)]
    [InlineData("false", "{}", true)]
    [InlineData(null, null, false)]
    public void IsPodInMesh_LabelOrInjectorAnnotation(string? inject, string? status, bool expected)
    {
        var labels = inject is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [DiscoveryRule.InjectLabel] = inject };
        var annotations = status is null ? null : new Dictionary<string, string> { [DiscoveryRule.SidecarStatusAnnotation] = status };

        Assert.Equal(expected, DiscoveryRule.IsPodInMesh(labels, annotations));
    }

    [Fact]
    public void PickTarget_SameNamespaceWinsOnlyCandidateElseAmbiguousNull()
    {
        var other = MeshTarget with { Namespace = "other" };

        Assert.Equal(other, DiscoveryRule.PickTarget([MeshTarget, other], "other"));
        Assert.Equal(MeshTarget, DiscoveryRule.PickTarget([MeshTarget], "elsewhere"));
        Assert.Null(DiscoveryRule.PickTarget([MeshTarget, other], "elsewhere"));
        Assert.Null(DiscoveryRule.PickTarget([], "shop"));
    }

    [Fact]
    public void Compose_NeverZeroSaturatesAndGrowsWithEachPart()
    {
        Assert.Equal(1UL, DiscoveryIndex.Compose(0, 0, 0, 0));
        Assert.Equal(ulong.MaxValue, DiscoveryIndex.Compose(ulong.MaxValue, 5, 0, 0));
        var base1 = DiscoveryIndex.Compose(100, 20, 10, 3);
        Assert.True(DiscoveryIndex.Compose(101, 20, 10, 3) > base1);
        Assert.True(DiscoveryIndex.Compose(100, 21, 10, 3) > base1);
        Assert.True(DiscoveryIndex.Compose(100, 20, 11, 3) > base1);
        Assert.True(DiscoveryIndex.Compose(100, 20, 10, 4) > base1);
    }

    [Theory]
    [InlineData("123", 123UL)]
    [InlineData("", 0UL)]
    [InlineData(null, 0UL)]
    [InlineData("-1", 0UL)]
    [InlineData("abc", 0UL)]
    public void ParseResourceVersion_NumberOrZero(string? text, ulong expected) =>
        Assert.Equal(expected, DiscoveryIndex.ParseResourceVersion(text));
}
