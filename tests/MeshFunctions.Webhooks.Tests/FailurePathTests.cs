using System.Globalization;
using MeshFunctions.TestKit.Kubernetes;
using MeshFunctions.Webhooks.Events;
using MeshFunctions.Webhooks.Rules;
using MeshFunctions.Webhooks.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>
/// What the API server gets when a rule cannot decide, over real HTTPS: always an AdmissionReview answered by the failure
/// rule (validating: denied 503, retry; mutating: admitted unmutated with a warning), logged with the uid and counted.
/// </summary>
public sealed class FailurePathTests
{
    [Fact]
    public async Task Validate_DirectReadHangs_AnsweredByDeadlineWithDenial503()
    {
        await using var host = await WebhookHost.StartAsync(s => s["Webhooks:RequestDeadline"] = "00:00:01");
        // The cache has synced; from now on every list of DestinationRules (the direct read on a miss) hangs.
        host.Api.Faults.AddLatency(TimeSpan.FromHours(1), new KubeRequestMatch("list", "destinationrules"));
        var review = Reviews.For("CREATE", Objects.VirtualService("reviews", "prod", "reviews", "v1"));

        var (response, _) = await host.PostAsync("/validate/subsets", review);

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(503, (int)response["status"]!["code"]!);
        Assert.Equal("meshfunctions subsets webhook could not decide within the 1 s deadline; retry the request", (string)response["status"]!["message"]!);
        var uid = (string)review["request"]!["uid"]!;
        Assert.Contains(host.Logs.Entries, e => e.Id.Id == 503 && e.Message.Contains("uid=" + uid, StringComparison.Ordinal));
        Assert.Equal(1, await FailuresAsync(host, "subsets", "deadline"));
    }

    [Fact]
    public async Task Validate_RuleThrows_Denied503NamingUidLoggedAndCounted()
    {
        // A real rule whose dependency breaks: the Router is valid, publishing its event throws.
        await using var host = await WebhookHost.StartAsync(services: s => s.TryAddSingleton<IMeshConfigEventSink, ThrowingEventSink>());
        var review = Reviews.For("CREATE", Objects.Router("checkout"));
        var uid = (string)review["request"]!["uid"]!;

        var (response, _) = await host.PostAsync("/validate/resources", review);

        Assert.False((bool)response["allowed"]!);
        Assert.Equal(503, (int)response["status"]!["code"]!);
        Assert.Equal($"meshfunctions resources webhook internal error (see the webhook's log for uid {uid}); retry the request", (string)response["status"]!["message"]!);
        var logged = Assert.Single(host.Logs.Entries, e => e.Id.Id == 504);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("uid=" + uid, logged.Message, StringComparison.Ordinal);
        Assert.Equal("event sink is broken", logged.Exception?.Message);
        Assert.Equal(1, await FailuresAsync(host, "resources", "error"));
    }

    [Fact]
    public async Task Mutate_RuleThrows_AdmittedUnmutatedWithWarning()
    {
        await using var host = await WebhookHost.StartAsync(services: s => s.AddSingleton<IAdmissionWebhook>(new ThrowingWebhook(mutating: true)));
        var review = Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled"));
        var uid = (string)review["request"]!["uid"]!;

        var (response, _) = await host.PostAsync("/mutate/boom", review);

        Assert.True((bool)response["allowed"]!);
        Assert.Null(response["patch"]);
        Assert.Null(response["patchType"]);
        var warning = (string)Assert.Single(response["warnings"]!.AsArray())!;
        Assert.StartsWith("meshfunctions boom webhook: not mutated, internal error", warning, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Entries, e => e.Id.Id == 504 && e.Message.Contains("uid=" + uid, StringComparison.Ordinal));
        Assert.Equal(1, await FailuresAsync(host, "boom", "error"));
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("meshfunctions_webhook_requests_total{webhook=\"boom\",operation=\"CREATE\",kind=\"Deployment\",decision=\"allowed\"} 1", metrics, StringComparison.Ordinal);
    }

    private static async Task<double> FailuresAsync(WebhookHost host, string webhook, string reason)
    {
        var prefix = $"meshfunctions_webhook_failures_total{{webhook=\"{webhook}\",reason=\"{reason}\"}} ";
        var line = (await host.Client.GetStringAsync("/metrics")).Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
