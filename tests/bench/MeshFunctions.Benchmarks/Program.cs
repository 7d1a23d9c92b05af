using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MeshFunctions.Benchmarks.Render.ShortInProcessConfig).Assembly).Run(args);
