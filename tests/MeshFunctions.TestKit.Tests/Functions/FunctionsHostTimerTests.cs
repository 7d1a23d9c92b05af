using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.SampleFunctions;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFunctions.TestKit.Tests.Functions;

public sealed class FunctionsHostTimerTests
{
    [Fact]
    public async Task FireTimerAsync_TimerFunction_RunsOnceNotPastDue()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());

        await host.FireTimerAsync("Resync");

        var entry = Assert.Single(host.Services.GetRequiredService<InvocationJournal>().Entries);
        Assert.Equal(("Resync", "on-time"), (entry.Function, entry.Payload));
        Assert.Equal(FunctionOutcome.Succeeded, Assert.Single(host.Invocations).Outcome);
    }

    [Fact]
    public async Task FireTimerAsync_NotATimer_FailsListingTimers()
    {
        var app = await SampleApp.CreateAsync();
        await using var host = await FunctionsHost.StartAsync(app.Options());

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => host.FireTimerAsync("Echo"));

        Assert.Contains("timer functions: Resync", error.Message, StringComparison.Ordinal);
    }
}
