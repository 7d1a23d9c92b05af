using System.Net;
using MeshFunctions.Rls.Configuration;
using MeshFunctions.Rls.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MeshFunctions.Rls.Tests.Infrastructure.Requests;

namespace MeshFunctions.Rls.Tests.Configuration;

/// <summary>Reload through a ConfigMap-shaped mount: the <c>..data</c> symlink swap, atomic, bad files rejected.</summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private const string V1 = """
        domain: reload
        descriptors:
          - key: k
            rate_limit: {unit: hour, requests_per_unit: 1, name: v1}
        """;

    private const string V2 = """
        domain: reload
        descriptors:
          - key: k
            rate_limit: {unit: hour, requests_per_unit: 5, name: v2}
        """;

    private readonly ConfigMapDirectory _config = new(new Dictionary<string, string> { ["reload.yaml"] = V1 });
    private RlsHost _host = null!;

    public async Task InitializeAsync() => _host = await RlsHost.StartAsync(_config.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _config.Dispose();
    }

    private async Task<string> LimitNameAsync() =>
        (await _host.Client.ShouldRateLimitAsync(Request("reload", ("k", Guid.NewGuid().ToString())))).Statuses[0].CurrentLimit.Name;

    private async Task WaitForAsync(Func<Task<bool>> condition)
    {
        // Generous bound: the watcher reacts to the rename at once, the poll (1 s in tests) is the fallback.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the config was not reloaded within 30 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Reload_DataSymlinkSwap_NewConfigServed()
    {
        Assert.Equal("v1", await LimitNameAsync());
        _config.Swap(new Dictionary<string, string> { ["reload.yaml"] = V2 });
        await WaitForAsync(async () => await LimitNameAsync() == "v2");
    }

    [Fact]
    public async Task Reload_DataDirectoryFiles_NotReadTwice()
    {
        // ..data/reload.yaml and the timestamped folder hold the same domain; only the top-level link counts.
        var store = _host.Services.GetRequiredService<RuleSetStore>();
        Assert.Empty(store.LastErrors);
        Assert.Single(store.Current!.Domains);
    }

    [Fact]
    public async Task Reload_BadFile_KeepsOldConfigAndReportsInHealthAndMetrics()
    {
        var store = _host.Services.GetRequiredService<RuleSetStore>();
        _config.Swap(new Dictionary<string, string> { ["reload.yaml"] = V2.Replace("name: v2}", "name: v2, burst: 3}", StringComparison.Ordinal) });
        await WaitForAsync(() => Task.FromResult(store.LastErrors.Count > 0));

        var error = Assert.Single(store.LastErrors);
        Assert.Contains("reload.yaml:4:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("burst", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("v1", await LimitNameAsync());

        using var health = await _host.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var metrics = await _host.Http.GetStringAsync("/metrics");
        Assert.Contains("rls_config_load_error_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("rls_config_valid 0", metrics, StringComparison.Ordinal);

        // Fixing the file recovers both the config and health.
        _config.Swap(new Dictionary<string, string> { ["reload.yaml"] = V2 });
        await WaitForAsync(async () => await LimitNameAsync() == "v2");
        using var healthy = await _host.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Reload_DuplicateDomainAcrossFiles_Rejected()
    {
        var store = _host.Services.GetRequiredService<RuleSetStore>();
        _config.Swap(new Dictionary<string, string> { ["reload.yaml"] = V1, ["again.yaml"] = V2 });
        await WaitForAsync(() => Task.FromResult(store.LastErrors.Count > 0));
        Assert.Contains("duplicate domain 'reload'", Assert.Single(store.LastErrors).Message, StringComparison.Ordinal);
        Assert.Equal("v1", await LimitNameAsync());
    }

    [Fact]
    public async Task Reload_DebugEndpoint_ShowsLoadedConfig()
    {
        var text = await _host.Http.GetStringAsync($"http://127.0.0.1:{_host.DebugPort}/rlconfig");
        Assert.Contains("\"reload\"", text, StringComparison.Ordinal);
        Assert.Contains("\"generation\": 1", text, StringComparison.Ordinal);
    }
}
