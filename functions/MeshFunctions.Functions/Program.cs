using MeshFunctions.Functions;
using Microsoft.Extensions.Hosting;

// Composes the app; the test harness calls the same AddMeshFunctions.
var host = new HostBuilder()
    .ConfigureFunctionsWorkerDefaults()
    .ConfigureServices((context, services) => services.AddMeshFunctions(context.Configuration))
    .Build();

await host.RunAsync();
