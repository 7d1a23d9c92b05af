using System.Text.Json.Nodes;
using MeshFunctions.TestKit.Functions;

namespace MeshFunctions.TestKit.Tests.Functions;

/// <summary>A wrong binding in functions.metadata must fail a test, not pass silently.</summary>
public sealed class FunctionsHostMetadataTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"functions-{Guid.NewGuid():N}.metadata");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void GeneratedMetadata_SampleApp_ListsEveryTriggerWithItsQueue()
    {
        var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray();

        var triggers = functions.ToDictionary(
            f => f!["name"]!.GetValue<string>(),
            f => f!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!);

        Assert.Equal(["Echo", "Flaky", "Resync", "Steps"], triggers.Keys.Order());
        Assert.Equal("%SampleEchoQueue%", triggers["Echo"]["queueName"]!.GetValue<string>());
        Assert.Equal("%SampleFlakyQueue%", triggers["Flaky"]["queueName"]!.GetValue<string>());
        Assert.Equal("%SampleStepsQueue%", triggers["Steps"]["queueName"]!.GetValue<string>());
        Assert.Equal("timerTrigger", triggers["Resync"]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartAsync_QueueNameInMetadataDoesNotExist_FailsNamingFunctionAndQueue()
    {
        var app = await SampleApp.CreateAsync();
        WriteSampleMetadataWith("%SampleEchoQueue%", "orders-typo");
        foreach (var queue in new[] { app.FlakyQueue, app.StepsQueue })
        {
            await app.Queue(queue).CreateAsync();
        }

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(app.Options(createQueues: false, _path)));

        Assert.Contains("function 'Echo' listens to queue 'orders-typo'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Flaky", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SettingMissing_FailsNamingSetting()
    {
        var app = await SampleApp.CreateAsync();
        WriteSampleMetadataWith("%SampleStepsQueue%", "%SampleStepsQueueRenamed%");

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(app.Options(metadataPath: _path)));

        Assert.Contains("function 'Steps': binding 'step': queueName '%SampleStepsQueueRenamed%' needs app setting 'SampleStepsQueueRenamed'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EchoFunction.Run\"", "EchoFunction.Missing\"", "method 'Missing' not found")]
    [InlineData("SampleFunctions.EchoFunction", "SampleFunctions.NoSuchClass", "type 'MeshFunctions.TestKit.SampleFunctions.NoSuchClass' not found")]
    [InlineData("\"name\": \"message\"", "\"name\": \"msg\"", "has no parameter named 'msg'")]
    [InlineData("\"%SampleFlakyQueue%\"", "\"Flaky_Queue\"", "'Flaky_Queue' is not a valid queue name")]
    [InlineData("\"type\": \"queue\"", "\"type\": \"blob\"", "output binding '$return' of type 'blob' is not emulated")]
    public async Task StartAsync_MetadataNotMatchingTheApp_FailsWithSpecificReason(string find, string replace, string expected)
    {
        var app = await SampleApp.CreateAsync();
        WriteSampleMetadataWith(find, replace);

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(app.Options(metadataPath: _path)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MetadataMissing_SaysWhere()
    {
        var app = await SampleApp.CreateAsync();

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(app.Options(metadataPath: _path)));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MissingStorageConnection_FailsNamingConnection()
    {
        var app = await SampleApp.CreateAsync();
        var options = app.Options();
        options.Settings.Remove("AzureWebJobsStorage");

        var error = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHost.StartAsync(options));

        Assert.Contains("storage connection 'AzureWebJobsStorage' is not set", error.Message, StringComparison.Ordinal);
    }

    private void WriteSampleMetadataWith(string find, string replace)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(_path, text.Replace(find, replace, StringComparison.Ordinal));
    }
}
