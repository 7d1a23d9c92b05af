using MeshFunctions.TestKit.SampleFunctions;
using Microsoft.Extensions.Hosting;

// Composes the app the way a deployed worker would; the test harness calls the same AddSampleFunctions.
var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) => services.AddSampleFunctions(context.Configuration))
    .Build();

await host.RunAsync();
