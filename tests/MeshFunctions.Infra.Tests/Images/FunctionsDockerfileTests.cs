using System.Text.RegularExpressions;
using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Functions.Host;
using MeshFunctions.TestKit.Kubernetes;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Infra.Tests.Images;

/// <summary>
/// The functions image runs the Functions host, which is not here; its publish step is run as the Dockerfile writes
/// it, and the published worker is then started by the test kit's host stand-in over the host's gRPC protocol (the
/// way the host in the image starts it from /home/site/wwwroot) and must load and run its functions.
/// </summary>
public sealed partial class FunctionsDockerfileTests
{
    [Fact]
    public async Task FunctionsDockerfile_PublishStepWithItsArguments_WorkerStartsUnderTheHostProtocolAndRunsItsFunctions()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Infra, "docker", "functions.Dockerfile"));
        var output = Directory.CreateTempSubdirectory("mf-functions-publish-");
        try
        {
            var runs = DotnetRun().Matches(text);
            Assert.Contains(runs, r => r.Groups[1].Value.StartsWith("publish ", StringComparison.Ordinal));
            foreach (Match run in runs)
            {
                var args = run.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "/home/site/wwwroot" ? output.FullName : a).ToArray();
                var (code, stdout, stderr) = ProcessRunner.Run("dotnet", args, RepoPaths.Root);
                Assert.True(code == 0, $"dotnet {string.Join(' ', args)} failed ({code}):\n{stdout}{stderr}");
            }

            Assert.True(File.Exists(Path.Combine(output.FullName, "host.json")), "host.json is not in the published output");
            await using var azurite = await AzuriteServer.StartPrivateAsync();
            await using var api = await FakeKubernetesApi.StartAsync();
            var queues = azurite.CreateQueueServiceClient();
            foreach (var queue in MeshEventQueues.All)
            {
                await queues.GetQueueClient(queue).CreateIfNotExistsAsync();
            }

            await using var worker = await FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions
            {
                AppDirectory = output.FullName,
                Settings = new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Kubernetes:Host"] = api.Url,
                    ["MeshFunctions:PropagationDelay"] = "00:00:01",
                },
            });

            // Every queue of the app has its function; a deploy event becomes Istio configuration; the timer runs.
            Assert.Equal(
                MeshEventQueues.All.Order(StringComparer.Ordinal),
                worker.Functions.Select(f => f.Trigger?.Property("queueName")).OfType<string>().Order(StringComparer.Ordinal));
            var deploy = new MeshEvent<DeployEvent>("deploy-checkout-1", new Uri("/tests/infra", UriKind.Relative), MeshEventTypes.Deploy, DateTimeOffset.UtcNow, "shop/checkout",
                new DeployEvent("shop", "checkout", "master", DeployAction.Deployed, "v1", null, 1, 8080));
            await queues.GetQueueClient(MeshEventQueues.DeployEvents).SendMessageAsync(BinaryData.FromBytes(MeshEventCodec.Encode(deploy)));
            await worker.WaitForIdleAsync(TimeSpan.FromMinutes(4));
            Assert.True(api.Writes.Any(w => w.Type.Plural == "virtualservices" && w.Namespace == "shop"), $"no VirtualService written\n{worker.WorkerOutput}");
            var resync = await worker.FireTimerAsync("Resync");
            Assert.True(resync.Outcome == FunctionOutcome.Succeeded, $"{resync.Outcome}: {resync.Error}\n{worker.WorkerOutput}");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"(?m)^RUN dotnet ((?:restore|publish) .+)$")]
    private static partial Regex DotnetRun();
}
