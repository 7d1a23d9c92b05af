using Amqp;
using Amqp.Sasl;
using Amqp.Types;

namespace MeshFunctions.TestKit.ServiceBus.Internal;

/// <summary>
/// The server side of SASL mechanism <c>MSSBCBS</c>, which the Service Bus client offers before it authorises with a
/// CBS token: the mechanism itself carries no credential, so the init is answered with OK.
/// </summary>
internal sealed class CbsSaslProfile() : SaslProfile(Name)
{
    public const string Name = "MSSBCBS";

    private const ulong SaslInitCode = 0x41;

    protected override ITransport UpgradeTransport(ITransport transport) => transport;

    protected override DescribedList GetStartCommand(string hostname) => new SaslInit { Mechanism = Name };

    protected override DescribedList OnCommand(DescribedList command) =>
        command.Descriptor.Code == SaslInitCode
            ? new SaslOutcome { Code = SaslCode.Ok }
            : new SaslOutcome { Code = SaslCode.Auth };
}
