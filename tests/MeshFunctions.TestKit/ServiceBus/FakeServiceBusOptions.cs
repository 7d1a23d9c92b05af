namespace MeshFunctions.TestKit.ServiceBus;

/// <summary>How a <see cref="FakeServiceBus"/> behaves.</summary>
public sealed class FakeServiceBusOptions
{
    /// <summary>The shared access policy name the connection string names. Default <c>RootManageSharedAccessKey</c>.</summary>
    public string KeyName { get; set; } = "RootManageSharedAccessKey";

    /// <summary>The policy's key (base64 text, used as UTF-8 bytes for the HMAC as Service Bus does). Default a fixed test key.</summary>
    public string Key { get; set; } = "bWVzaGZ1bmN0aW9ucy10ZXN0LWtleS1ub3QtYS1zZWNyZXQ=";

    /// <summary>The topics and queues that exist; a link to any other entity is refused with <c>amqp:not-found</c>.</summary>
    public IList<string> Entities { get; } = [];

    /// <summary>Duplicate detection history: a message id seen within this window is accepted and dropped. Zero turns it off. Default 10 min (the broker's default).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The clock for token expiry and the duplicate window. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
