using MeshFunctions.Core.Deployments;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Core.Tests.Deployments;

public sealed class DeployOrderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Gap = TimeSpan.FromMinutes(5);

    [Fact]
    public void Decide_NextInOrder_AppliesIt()
    {
        var decision = DeployOrdering.Decide(2, [], Event(3), Now, Gap);

        Assert.Equal(DeployOrderKind.Apply, decision.Kind);
        Assert.Equal([3L], decision.Apply.Select(e => e.Data.Sequence));
        Assert.Empty(decision.Parked);
        Assert.False(decision.GapGivenUp);
        Assert.Equal(3, decision.LastSequence(2));
    }

    [Theory]
    [InlineData(1, DeployOrderKind.Stale)]
    [InlineData(2, DeployOrderKind.Current)]
    [InlineData(4, DeployOrderKind.Duplicate)]
    public void Decide_OldCurrentOrAlreadyParked_ChangesNothing(long sequence, DeployOrderKind expected)
    {
        var decision = DeployOrdering.Decide(2, [Event(4)], Event(sequence), Now, Gap);

        Assert.Equal(expected, decision.Kind);
        Assert.Empty(decision.Apply);
        Assert.Equal([4L], decision.Parked.Select(e => e.Data.Sequence));
    }

    [Fact]
    public void Decide_AheadOfAGap_ParksItWithTheOthers()
    {
        var decision = DeployOrdering.Decide(1, [Event(5)], Event(3), Now, Gap);

        Assert.Equal(DeployOrderKind.Park, decision.Kind);
        Assert.Equal([3L, 5L], decision.Parked.Select(e => e.Data.Sequence));
    }

    [Fact]
    public void Decide_EventFillsTheGap_AppliesTheParkedRunInOneGo()
    {
        var decision = DeployOrdering.Decide(1, [Event(5), Event(3), Event(4), Event(7)], Event(2), Now, Gap);

        Assert.Equal(DeployOrderKind.Apply, decision.Kind);
        Assert.Equal([2L, 3L, 4L, 5L], decision.Apply.Select(e => e.Data.Sequence));
        Assert.Equal([7L], decision.Parked.Select(e => e.Data.Sequence));
        Assert.Equal(5, decision.LastSequence(1));
    }

    [Fact]
    public void Decide_ParkedEntriesAlreadyApplied_AreDropped()
    {
        var decision = DeployOrdering.Decide(4, [Event(3), Event(4), Event(6)], Event(5), Now, Gap);

        Assert.Equal([5L, 6L], decision.Apply.Select(e => e.Data.Sequence));
        Assert.Empty(decision.Parked);
    }

    [Fact]
    public void Decide_OldestParkedWaitedPastTheGapTimeout_GivesTheGapUp()
    {
        var decision = DeployOrdering.Decide(1, [Event(3, Now - Gap - TimeSpan.FromSeconds(1)), Event(4)], Event(6), Now, Gap);

        Assert.Equal(DeployOrderKind.Apply, decision.Kind);
        Assert.True(decision.GapGivenUp);
        // 3 and 4 apply (2 is lost); 6 waits for 5, and 6 itself has not waited long.
        Assert.Equal([3L, 4L], decision.Apply.Select(e => e.Data.Sequence));
        Assert.Equal([6L], decision.Parked.Select(e => e.Data.Sequence));
    }

    [Fact]
    public void Decide_NoEventGapNotTimedOut_Waits()
    {
        var decision = DeployOrdering.Decide(1, [Event(3, Now - TimeSpan.FromSeconds(10))], null, Now, Gap);

        Assert.Equal(DeployOrderKind.Waiting, decision.Kind);
        Assert.Equal([3L], decision.Parked.Select(e => e.Data.Sequence));
    }

    [Fact]
    public void Decide_NoEventGapTimedOut_AppliesTheParked()
    {
        var decision = DeployOrdering.Decide(1, [Event(3, Now - Gap), Event(4, Now - Gap)], null, Now, Gap);

        Assert.Equal(DeployOrderKind.Apply, decision.Kind);
        Assert.True(decision.GapGivenUp);
        Assert.Equal([3L, 4L], decision.Apply.Select(e => e.Data.Sequence));
    }

    [Fact]
    public void Decide_ParkingFull_DefersTheEventAndKeepsTheParked()
    {
        var parked = Enumerable.Range(3, DeployOrdering.MaxParked).Select(i => Event(i)).ToList();

        var decision = DeployOrdering.Decide(1, parked, Event(100), Now, Gap);

        Assert.Equal(DeployOrderKind.Defer, decision.Kind);
        Assert.Equal(DeployOrdering.MaxParked, decision.Parked.Count);
        Assert.DoesNotContain(decision.Parked, e => e.Data.Sequence == 100);
    }

    [Fact]
    public void FormatParse_RoundTrip_KeepsEveryEvent()
    {
        var parked = new[] { Event(3), Event(4) };

        var text = DeployOrdering.Format(parked);
        var back = DeployOrdering.Parse(text);

        Assert.Equal(parked.Select(e => (e.Id, e.Time, e.Data.Sequence, e.Data.Action, e.Data.Version)), back.Select(e => (e.Id, e.Time, e.Data.Sequence, e.Data.Action, e.Data.Version)));
        Assert.Null(DeployOrdering.Format([]));
        Assert.Empty(DeployOrdering.Parse(null));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("not json")]
    public void Parse_NotParkedEvents_FailsWithAFormatError(string text)
    {
        Assert.Throws<MeshEventFormatException>(() => DeployOrdering.Parse(text));
    }

    private static MeshEvent<DeployEvent> Event(long sequence, DateTimeOffset? time = null) =>
        new($"deploy-{sequence}", new Uri("/ci", UriKind.Relative), MeshEventTypes.Deploy, time ?? Now, "shop/checkout",
            new DeployEvent("shop", "checkout", "master", DeployAction.Deployed, "v" + sequence, null, sequence, 8080));
}
