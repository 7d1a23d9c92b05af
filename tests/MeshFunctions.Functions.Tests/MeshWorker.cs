using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Functions.Host;

namespace MeshFunctions.Functions.Tests;

/// <summary>The built functions app as its own worker process, driven by the test kit's Functions host stand-in.</summary>
internal static class MeshWorker
{
    /// <summary>The app's build output, recorded by the test project's build (functions-app.path).</summary>
    public static string AppDirectory => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions-app.path")).Trim();

    /// <summary>
    /// Starts the worker with <paramref name="app"/>'s settings. host.json's 10 s retry delay is overridden to 1 s the way
    /// an app setting overrides host.json (<c>AzureFunctionsJobHost__…</c>); everything else comes from host.json.
    /// </summary>
    public static Task<FunctionsWorkerHost> StartAsync(MeshApp app)
    {
        var settings = new Dictionary<string, string?>(app.Settings)
        {
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:01",
        };
        return FunctionsWorkerHost.StartAsync(new FunctionsWorkerHostOptions { AppDirectory = AppDirectory, Settings = settings });
    }

    /// <summary>Waits until the worker has drained every trigger queue, continuations included.</summary>
    public static Task IdleAsync(this FunctionsWorkerHost host) => host.WaitForIdleAsync(MeshApp.Patience);

    /// <summary>Sends one deploy event for shop/checkout and waits until the worker is idle again.</summary>
    public static async Task DeployAsync(this FunctionsWorkerHost host, MeshApp app, long sequence, DeployAction action, string? version = null, Dictionary<string, int>? weights = null)
    {
        await app.SendAsync(MeshEventQueues.DeployEvents, MeshApp.Deploy(sequence, action, version, weights));
        await host.IdleAsync();
    }
}
