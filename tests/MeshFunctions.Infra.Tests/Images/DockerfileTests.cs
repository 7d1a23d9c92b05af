using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MeshFunctions.Infra.Tests.Images;

/// <summary>
/// The images cannot be built here (no Docker engine), so their build step is run as the Dockerfile writes it:
/// the <c>dotnet restore</c>/<c>dotnet publish</c> lines, with the same arguments, then the published app is started
/// and must answer its health endpoint. Deployables that are not in this branch yet get the same test after merge.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles => [.. Directory.GetFiles(Path.Combine(RepoPaths.Infra, "docker"), "*.Dockerfile").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfile_Shape_MultiStageNonRootPinnedBases(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Infra, "docker", file));

        var stages = FromLine().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", stages[0], StringComparison.Ordinal);
        Assert.DoesNotContain(stages, s => s.EndsWith(":latest", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^USER [1-9][0-9]*\s*$", text);
        Assert.Contains("COPY --from=build", text, StringComparison.Ordinal);
        Assert.Single(PublishLine().Matches(text));
    }

    [Fact]
    public async Task RlsDockerfile_PublishStepWithItsArguments_AppStartsAndAnswersHealth()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Infra, "docker", "rls.Dockerfile"));
        var output = Directory.CreateTempSubdirectory("mf-publish-rls-");
        var config = Directory.CreateTempSubdirectory("mf-rls-config-");
        try
        {
            foreach (Match run in DotnetRun().Matches(text))
            {
                var args = run.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "/app" ? output.FullName : a).ToArray();
                var (code, stdout, stderr) = ProcessRunner.Run("dotnet", args, RepoPaths.Root);
                Assert.True(code == 0, $"dotnet {string.Join(' ', args)} failed ({code}):\n{stdout}{stderr}");
            }

            var entry = EntryPoint().Match(text).Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(output.FullName, entry)), $"{entry} is not in the published output");
            var (http, grpc) = (FreePort(), FreePort());
            using var app = Process.Start(new ProcessStartInfo("dotnet",
            [
                Path.Combine(output.FullName, entry), $"--Rls:HttpPort={http}", $"--Rls:GrpcPort={grpc}", "--Rls:DebugPort=0",
                "--Rls:LoopbackOnly=true", "--Rls:ForceStartWithoutInitialConfig=true", $"--Rls:ConfigDirectory={config.FullName}",
            ]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = output.FullName })!;
            var appLog = new System.Text.StringBuilder();
            app.OutputDataReceived += (_, e) => { lock (appLog) { appLog.AppendLine(e.Data); } };
            app.ErrorDataReceived += (_, e) => { lock (appLog) { appLog.AppendLine(e.Data); } };
            app.BeginOutputReadLine();
            app.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var deadline = DateTime.UtcNow.AddMinutes(3); // hang guard only: the loop ends at the first answer
                HttpStatusCode? status = null;
                while (status is null && !app.HasExited && DateTime.UtcNow < deadline)
                {
                    try
                    {
                        status = (await client.GetAsync(new Uri($"http://127.0.0.1:{http}/healthz"))).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(200);
                    }
                }

                Assert.True(status == HttpStatusCode.OK, $"/healthz answered {status?.ToString() ?? "nothing"}; exited: {app.HasExited}\n{appLog}");
            }
            finally
            {
                if (!app.HasExited)
                {
                    app.Kill(entireProcessTree: true);
                }

                await app.WaitForExitAsync();
            }
        }
        finally
        {
            output.Delete(recursive: true);
            config.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"(?m)^FROM\s+(\S+)")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^RUN dotnet publish ")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"(?m)^RUN dotnet ((?:restore|publish) .+)$")]
    private static partial Regex DotnetRun();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+)""\]")]
    private static partial Regex EntryPoint();
}
