using MeshFunctions.Core.Events;
using MeshFunctions.Discovery.Answers;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace MeshFunctions.Discovery.Events;

/// <summary>
/// Watches upstream's <c>/v1/catalog/services</c> (the shared upstream view) and publishes one
/// <c>consul-events</c> event per service that appeared, changed tags or disappeared. The first answer after
/// start publishes every service as appeared: consumers are idempotent and this covers changes missed while down.
/// Every replica does the same, so an event's id is derived from what it reports (<see cref="EventId"/>): replicas
/// seeing one upstream state publish the same ids, and a consumer drops the repeats by id.
/// </summary>
internal sealed class ConsulEventPublisher : BackgroundService
{
    private readonly AnswerService _answers;
    private readonly EventSender _sender;
    private readonly DiscoveryOptions _discovery;
    private readonly Uri _source;
    private readonly TimeProvider _time;

    public ConsulEventPublisher(AnswerService answers, EventSender sender, IOptions<DiscoveryOptions> discovery, IOptions<EventOptions> options, TimeProvider time)
    {
        _answers = answers;
        _sender = sender;
        _discovery = discovery.Value;
        _time = time;
        _source = new Uri(options.Value.Source, UriKind.RelativeOrAbsolute);
    }

    /// <summary>The differences between two catalogs (name → tags), in name order.</summary>
    public static IEnumerable<(string Service, ConsulServiceChange Change, IReadOnlyList<string> Tags)> Diff(
        IReadOnlyDictionary<string, string[]> before, IReadOnlyDictionary<string, string[]> after)
    {
        foreach (var (name, tags) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(name, out var old))
            {
                yield return (name, ConsulServiceChange.Appeared, tags);
            }
            else if (!old.Order(StringComparer.Ordinal).SequenceEqual(tags.Order(StringComparer.Ordinal)))
            {
                yield return (name, ConsulServiceChange.Changed, tags);
            }
        }

        foreach (var name in before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            yield return (name, ConsulServiceChange.Disappeared, []);
        }
    }

    /// <summary>
    /// The event id: a hash of datacenter, service, change, upstream index and tags — equal for every replica that saw
    /// the same upstream change, different for any other change (the index moves with every catalog write).
    /// </summary>
    public static string EventId(string datacenter, string service, ConsulServiceChange change, ulong consulIndex, IReadOnlyList<string> tags)
    {
        var text = string.Join('\n', [datacenter, service, change.ToString(), consulIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), .. tags.Order(StringComparer.Ordinal)]);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyDictionary<string, string[]> known = new Dictionary<string, string[]>();
        ulong index = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var answer = await _answers.AnswerUpstreamAsync("/v1/catalog/services", null, index, TimeSpan.FromMinutes(5), stoppingToken).ConfigureAwait(false);
            if (answer.Status != 200 || Parse(answer.Body) is not { } catalog)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            foreach (var (service, change, tags) in Diff(known, catalog))
            {
                _sender.Enqueue(MeshEventQueues.ConsulEvents, new MeshEvent<ConsulServiceEvent>(
                    EventId(_discovery.Datacenter, service, change, answer.Index, tags), _source, MeshEventTypes.ConsulService, _time.GetUtcNow(), service,
                    new ConsulServiceEvent(service, _discovery.Datacenter, change, answer.Index, tags)));
            }

            known = catalog;
            index = answer.Index < index ? 0 : answer.Index;
        }
    }

    private static Dictionary<string, string[]>? Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string[]?>>(body)?.ToDictionary(p => p.Key, p => p.Value ?? [], StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
