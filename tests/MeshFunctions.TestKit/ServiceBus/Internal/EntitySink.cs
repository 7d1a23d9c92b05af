using Amqp;
using Amqp.Framing;
using Amqp.Listener;

namespace MeshFunctions.TestKit.ServiceBus.Internal;

/// <summary>Accepts the messages sent on one sender link into <see cref="FakeServiceBus"/> (batches unpacked).</summary>
internal sealed class EntitySink(string entity, FakeServiceBus bus) : IMessageProcessor
{
    /// <summary>The message format of a Service Bus batch: each data section is one encoded message.</summary>
    private const uint BatchFormat = 0x80013700;

    public int Credit => 100;

    public void Process(MessageContext messageContext)
    {
        var message = messageContext.Message;
        try
        {
            var messages = message.Format == BatchFormat ? Unbatch(message) : [message];
            foreach (var one in messages)
            {
                bus.Accept(entity, one);
            }

            messageContext.Complete();
        }
        catch (Exception ex) when (ex is AmqpException or InvalidCastException or FormatException)
        {
            messageContext.Complete(new Error(ErrorCode.DecodeError) { Description = ex.Message });
        }
    }

    private static List<Message> Unbatch(Message batch)
    {
        var parts = new List<Message>();
        foreach (var section in Sections(batch))
        {
            parts.Add(Message.Decode(new ByteBuffer(section, 0, section.Length, section.Length)));
        }

        return parts;
    }

    private static IEnumerable<byte[]> Sections(Message message) => message.BodySection switch
    {
        Data data => [data.Binary],
        DataList list => Enumerable.Range(0, list.Count).Select(i => list[i].Binary),
        _ => throw new FormatException("a batch must carry data sections"),
    };
}
