using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>Registers the services the sample functions need; Program.cs and the test harness both call it.</summary>
public static class SampleFunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the journal, the scoped greeter, a <see cref="TimeProvider"/> and a base64 <see cref="QueueServiceClient"/>
    /// for continuation messages, built from the <c>AzureWebJobsStorage</c> connection string.
    /// </summary>
    public static IServiceCollection AddSampleFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<InvocationJournal>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<Greeter>();
        services.TryAddSingleton(_ =>
        {
            var connection = configuration["AzureWebJobsStorage"]
                ?? throw new InvalidOperationException("AzureWebJobsStorage is not configured.");
            // The queue trigger decodes base64 by default, so continuation messages must be base64 too.
            // 2026-06-06 is the newest service version Azurite 3.37 accepts.
            var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
            {
                MessageEncoding = QueueMessageEncoding.Base64,
            };
            return new QueueServiceClient(connection, options);
        });
        return services;
    }
}
