using System.Diagnostics;
using MeshFunctions.Core.Events;
using MeshFunctions.TestKit.Processes;

namespace MeshFunctions.Functions.Tests;

/// <summary><c>meshctl publish</c>, run as a process the way CI runs it, feeding the functions app.</summary>
public sealed class PublishTests
{
    [Fact]
    public async Task MeshctlPublish_DeployEvents_DriveTheCanary()
    {
        await using var app = await MeshApp.StartAsync();
        await app.AddHostAsync();

        Assert.Equal(0, (await MeshctlAsync(app, "publish", "-n", "shop", "--service", "checkout", "--action", "deployed", "--version", "v1", "--sequence", "1", "--port", "8080")).Exit);
        Assert.Equal(0, (await MeshctlAsync(app, "publish", "-n", "shop", "--service", "checkout", "--action", "deployed", "--version", "v2", "--sequence", "2")).Exit);
        Assert.Equal(0, (await MeshctlAsync(app, "publish", "-n", "shop", "--service", "checkout", "--action", "weighted", "--weight", "v1=90", "--weight", "v2=10", "--sequence", "3")).Exit);
        await app.RunUntilIdleAsync();

        Assert.Equal(new Dictionary<string, int> { ["v1"] = 90, ["v2"] = 10 }, app.MasterWeights());
        app.AssertNoMissingSubsetEver();
    }

    [Theory]
    [InlineData("--action", "weighted", "--weight", "v1", "expected version=N")]
    [InlineData("--action", "deployed", "--sequence", "0", "--sequence must be 1 or more")]
    [InlineData("--action", "promoted", "--branch", "master", "needs --version")]
    public async Task MeshctlPublish_BadCommandLine_Exits2AndSendsNothing(string a, string b, string c, string d, string expected)
    {
        await using var app = await MeshApp.StartAsync();
        var args = new List<string> { "publish", "-n", "shop", "--service", "checkout", a, b, c, d };
        if (!args.Contains("--sequence"))
        {
            args.AddRange(["--sequence", "1"]);
        }

        var (exit, error) = await MeshctlAsync(app, [.. args]);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var peeked = await app.Queues.GetQueueClient(MeshEventQueues.DeployEvents).PeekMessagesAsync();
        Assert.Empty(peeked.Value);
    }

    private static async Task<(int Exit, string Error)> MeshctlAsync(MeshApp app, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(MeshctlPath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AzureWebJobsStorage"] = app.Azurite.ConnectionString;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error);
    }

    private static string MeshctlPath()
    {
        var artifacts = Environment.GetEnvironmentVariable("MF_ARTIFACTS");
        var path = string.IsNullOrEmpty(artifacts)
            ? Path.Combine(RepositoryPaths.Root, "cli", "MeshFunctions.Cli", "bin", "Release", "net10.0", "meshctl.dll")
            : Path.Combine(artifacts, "bin", "MeshFunctions.Cli", "release", "meshctl.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution in Release first: meshctl is missing", path);
    }
}
