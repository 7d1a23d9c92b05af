using Azure.Storage.Queues;
using MeshFunctions.TestKit.Functions;
using MeshFunctions.TestKit.Processes;
using MeshFunctions.TestKit.SampleFunctions;

namespace MeshFunctions.TestKit.Tests.Functions;

/// <summary>The sample Functions app wired to the shared Azurite with queue names unique to one test.</summary>
internal sealed class SampleApp
{
    private SampleApp(AzuriteServer azurite)
    {
        Azurite = azurite;
        var id = Guid.NewGuid().ToString("N");
        EchoQueue = "echo-" + id;
        EchoOutQueue = "echo-out-" + id;
        FlakyQueue = "flaky-" + id;
        StepsQueue = "steps-" + id;
    }

    public AzuriteServer Azurite { get; }

    public string EchoQueue { get; }

    public string EchoOutQueue { get; }

    public string FlakyQueue { get; }

    public string StepsQueue { get; }

    public Dictionary<string, string?> Settings => new()
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        ["SampleEchoQueue"] = EchoQueue,
        ["SampleEchoOutQueue"] = EchoOutQueue,
        ["SampleFlakyQueue"] = FlakyQueue,
        ["SampleStepsQueue"] = StepsQueue,
    };

    public static async Task<SampleApp> CreateAsync() => new(await AzuriteServer.GetSharedAsync());

    public FunctionsHostOptions Options(bool createQueues = true, string? metadataPath = null) => new()
    {
        AppAssembly = typeof(EchoFunction).Assembly,
        MetadataPath = metadataPath,
        Settings = Settings,
        CreateQueues = createQueues,
        ConfigureServices = (services, configuration) => services.AddSampleFunctions(configuration),
    };

    /// <summary>A producer that base64-encodes, as producers for the Functions queue trigger must.</summary>
    public QueueClient Queue(string name) => Azurite.CreateQueueServiceClient().GetQueueClient(name);

    /// <summary>A producer that forgets base64 (the encoding trap).</summary>
    public QueueClient PlainQueue(string name) => Azurite.CreateQueueServiceClient(QueueMessageEncoding.None).GetQueueClient(name);
}
