using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MeshFunctions.Benchmarks.Render;

/// <summary>
/// A short job run inside the host process: on the shared 2-core build machine BenchmarkDotNet's separate
/// boilerplate build can exceed its 2-minute timeout, and the ratio (what the goal is about) is measured with
/// both methods in the same process either way.
/// </summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("ShortInProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
