using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MeshFunctions.TestKit.ServiceBus.Internal;

/// <summary>
/// The claims-based security node <c>$cbs</c>: answers <c>put-token</c> requests with <c>status-code</c> 200/400/401 and
/// remembers, per connection, which entity paths a good token authorises.
/// </summary>
internal sealed class CbsRequestProcessor(FakeServiceBusOptions options, ConcurrentQueue<CbsTokenRecord> records) : IRequestProcessor
{
    private readonly ConcurrentDictionary<Connection, ConcurrentDictionary<string, bool>> _authorised = new();

    public int Credit => 100;

    /// <summary>Whether a token accepted on <paramref name="connection"/> covers <paramref name="entity"/> (or the whole namespace).</summary>
    public bool IsAuthorised(Connection connection, string entity) =>
        _authorised.TryGetValue(connection, out var paths) && (paths.ContainsKey(string.Empty) || paths.ContainsKey(entity.ToLowerInvariant()));

    public void Process(RequestContext requestContext)
    {
        var request = requestContext.Message;
        var properties = request.ApplicationProperties?.Map;
        var operation = properties?["operation"] as string;
        var type = properties?["type"] as string ?? string.Empty;
        var audience = properties?["name"] as string ?? string.Empty;
        var (status, description) = operation == "put-token"
            ? SasTokenCheck.Check(request.Body as string, audience, options)
            : (400, $"unsupported $cbs operation '{operation}'");
        records.Enqueue(new CbsTokenRecord(audience, type, status, description));
        if (status == 200)
        {
            var connection = requestContext.Link.Session.Connection;
            _authorised.GetOrAdd(connection, _ => new ConcurrentDictionary<string, bool>())[SasTokenCheck.EntityPath(audience).ToLowerInvariant()] = true;
        }

        var response = new Message
        {
            ApplicationProperties = new ApplicationProperties
            {
                ["status-code"] = status,
                ["status-description"] = description,
            },
        };
        requestContext.Complete(response);
    }
}
