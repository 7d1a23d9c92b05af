using MeshFunctions.Cli.Tests.Infrastructure;

namespace MeshFunctions.Cli.Tests.Commands;

public sealed class HelpTests
{
    [Theory]
    [InlineData("render")]
    [InlineData("inject")]
    [InlineData("check")]
    [InlineData("plan")]
    public void Help_EachCommand_PrintsUsageAndExamples(string command)
    {
        var run = MeshctlRun.Invoke(command, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"meshctl {command}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Details and examples:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  meshctl {command} ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Fact]
    public void Help_Root_ListsEveryCommand()
    {
        var run = MeshctlRun.Invoke("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "render", "inject", "check", "plan" })
        {
            Assert.Contains(command, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_NoCommand_IsAUsageError()
    {
        var run = MeshctlRun.Invoke();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Stderr, StringComparison.Ordinal);
    }
}
