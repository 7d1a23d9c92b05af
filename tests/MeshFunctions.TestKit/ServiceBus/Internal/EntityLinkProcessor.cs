using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MeshFunctions.TestKit.ServiceBus.Internal;

/// <summary>
/// Attaches sender links to the configured entities once a CBS token authorised them on the same connection, as Service
/// Bus does: an unknown entity is <c>amqp:not-found</c>, a missing or refused token <c>amqp:unauthorized-access</c>.
/// </summary>
internal sealed class EntityLinkProcessor(FakeServiceBusOptions options, CbsRequestProcessor cbs, Func<string, IMessageProcessor> sinkFor) : ILinkProcessor
{
    private const ulong MaxMessageSize = 256 * 1024;

    public void Process(AttachContext attachContext)
    {
        var attach = attachContext.Attach;
        if (attach.Role)
        {
            // The client receives (role = receiver): this stand-in only accepts messages.
            attachContext.Complete(new Error(ErrorCode.NotImplemented) { Description = "the stand-in accepts sender links only" });
            return;
        }

        var entity = (attach.Target as Target)?.Address ?? string.Empty;
        var path = SasTokenCheck.EntityPath(entity);
        if (!options.Entities.Any(e => string.Equals(e, path, StringComparison.OrdinalIgnoreCase)))
        {
            attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity '{path}' could not be found." });
            return;
        }

        if (!cbs.IsAuthorised(attachContext.Link.Session.Connection, path))
        {
            attachContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = $"Unauthorized access. 'Send' claim(s) are required to perform this operation on '{path}'." });
            return;
        }

        attach.MaxMessageSize = MaxMessageSize;
        var sink = sinkFor(options.Entities.First(e => string.Equals(e, path, StringComparison.OrdinalIgnoreCase)));
        attachContext.Complete(new TargetLinkEndpoint(sink, attachContext.Link), sink.Credit);
    }
}
