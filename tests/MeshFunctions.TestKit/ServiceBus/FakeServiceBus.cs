using System.Collections.Concurrent;
using System.Globalization;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using MeshFunctions.TestKit.Processes.Internal;
using MeshFunctions.TestKit.ServiceBus.Internal;

namespace MeshFunctions.TestKit.ServiceBus;

/// <summary>
/// A Service Bus namespace stand-in on 127.0.0.1 (plain AMQP 1.0, as the development emulator speaks it) for the real
/// <c>Azure.Messaging.ServiceBus</c> client with a <c>UseDevelopmentEmulator=true</c> connection string: SASL
/// <c>MSSBCBS</c>, CBS <c>put-token</c> on <c>$cbs</c> with the SAS signature checked, sender links to the configured
/// entities, and duplicate detection by message id. Built on AMQP.Net Lite's <see cref="ContainerHost"/>.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    private readonly FakeServiceBusOptions _options;
    private readonly ContainerHost _host;
    private readonly ConcurrentQueue<CbsTokenRecord> _tokens = new();
    private readonly Lock _gate = new();
    private readonly List<ReceivedServiceBusMessage> _messages = [];
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _duplicates;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeServiceBus(FakeServiceBusOptions options, int port)
    {
        _options = options;
        Port = port;
        _host = new ContainerHost(new Address($"amqp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        _host.Listeners[0].SASL.EnableMechanism(CbsSaslProfile.Name, new CbsSaslProfile());
        var cbs = new CbsRequestProcessor(options, _tokens);
        _host.RegisterRequestProcessor("$cbs", cbs);
        _host.RegisterLinkProcessor(new EntityLinkProcessor(options, cbs, entity => new EntitySink(entity, this)));
    }

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string for the configured key: <c>Endpoint=sb://127.0.0.1:port;…;UseDevelopmentEmulator=true</c>.</summary>
    public string ConnectionString => ConnectionStringWithKey(_options.Key);

    /// <summary>Every CBS token request, in order.</summary>
    public IReadOnlyList<CbsTokenRecord> Tokens => [.. _tokens];

    /// <summary>Messages accepted and then dropped by duplicate detection.</summary>
    public int DuplicatesDropped => Volatile.Read(ref _duplicates);

    /// <summary>Starts listening on a free loopback port.</summary>
    public static Task<FakeServiceBus> StartAsync(FakeServiceBusOptions? options = null)
    {
        options ??= new FakeServiceBusOptions();
        for (var attempt = 1; ; attempt++)
        {
            var bus = new FakeServiceBus(options, FreePort.Next());
            try
            {
                bus._host.Open();
                return Task.FromResult(bus);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 5)
            {
                bus._host.Close();
            }
        }
    }

    /// <summary>The same namespace with another key (a wrong key makes every token a 401).</summary>
    public string ConnectionStringWithKey(string key) =>
        $"Endpoint=sb://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)};SharedAccessKeyName={_options.KeyName};SharedAccessKey={key};UseDevelopmentEmulator=true";

    /// <summary>The messages accepted into <paramref name="entity"/> so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedServiceBusMessage> Messages(string entity)
    {
        lock (_gate)
        {
            return [.. _messages.Where(m => string.Equals(m.Entity, entity, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for the messages of <paramref name="entity"/>; <paramref name="patience"/> is only a hang guard.</summary>
    public async Task<IReadOnlyList<ReceivedServiceBusMessage>> WaitForAsync(string entity, Func<IReadOnlyList<ReceivedServiceBusMessage>, bool> done, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            var messages = Messages(entity);
            if (done(messages))
            {
                return messages;
            }

            try
            {
                await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{entity}: the condition did not hold within {patience}; {messages.Count} message(s): {string.Join(", ", messages.Select(m => m.MessageId))}");
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _host.Close();
        return ValueTask.CompletedTask;
    }

    internal void Accept(string entity, Message message)
    {
        var messageId = message.Properties?.MessageId;
        var now = _options.TimeProvider.GetUtcNow();
        lock (_gate)
        {
            if (messageId is not null && _options.DuplicateDetectionWindow > TimeSpan.Zero)
            {
                var key = entity.ToLowerInvariant() + "\n" + messageId;
                if (_seen.TryGetValue(key, out var first) && now - first < _options.DuplicateDetectionWindow)
                {
                    _duplicates++;
                    return;
                }

                _seen[key] = now;
            }

            _messages.Add(new ReceivedServiceBusMessage(entity, messageId, message.Properties?.GroupId, message.Properties?.Subject, message.Properties?.ContentType,
                BinaryData.FromBytes(Body(message)), Properties(message)));
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private static byte[] Body(Message message) => message.BodySection switch
    {
        Data data => data.Binary,
        DataList list => [.. Enumerable.Range(0, list.Count).SelectMany(i => list[i].Binary)],
        AmqpValue { Value: string text } => System.Text.Encoding.UTF8.GetBytes(text),
        AmqpValue { Value: byte[] bytes } => bytes,
        _ => [],
    };

    private static Dictionary<string, object?> Properties(Message message)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (message.ApplicationProperties?.Map is { } map)
        {
            foreach (var key in map.Keys)
            {
                result[key.ToString()!] = map[key];
            }
        }

        return result;
    }
}
