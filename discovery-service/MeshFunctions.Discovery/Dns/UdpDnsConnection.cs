using System.Net;
using ARSoft.Tools.Net.Dns;

namespace MeshFunctions.Discovery.Dns;

/// <summary>
/// One datagram of <see cref="UdpDnsTransport"/>. ARSoft disposes it once the datagram is processed, answered or
/// not; disposing frees its in-flight slot and, when nothing was sent because the datagram did not parse, answers
/// FORMERR from the header alone (as Consul's DNS server does).
/// </summary>
internal sealed class UdpDnsConnection : IServerConnection
{
    private readonly UdpDnsTransport _transport;
    private readonly DnsReceivedRawPackage _package;
    private int _sent;
    private int _disposed;

    public UdpDnsConnection(UdpDnsTransport transport, DnsReceivedRawPackage package)
    {
        _transport = transport;
        _package = package;
    }

    public IServerTransport Transport => _transport;

    public IPEndPoint RemoteEndPoint => _package.RemoteEndpoint;

    public IPEndPoint LocalEndPoint => _package.LocalEndpoint;

    public bool CanRead { get; private set; } = true;

    public Task<bool> InitializeAsync(CancellationToken token = default) => Task.FromResult(true);

    public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default)
    {
        CanRead = false;
        return Task.FromResult<DnsReceivedRawPackage?>(_package);
    }

    public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default)
    {
        Interlocked.Exchange(ref _sent, 1);
        return _transport.SendToAsync(package.ToArraySegment(includeLengthHeader: false), RemoteEndPoint, token);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _sent) == 0 && !Parses(_package))
        {
            _ = AnswerFormErrAsync();
        }
        else
        {
            _transport.Release();
        }
    }

    /// <summary>The query's header echoed as an answer: QR set, opcode and RD kept, RCODE 1 (FORMERR), no sections.</summary>
    internal static byte[] FormErr(ReadOnlySpan<byte> query)
    {
        var answer = new byte[12];
        query[..2].CopyTo(answer);
        answer[2] = (byte)(0x80 | (query[2] & 0x79));
        answer[3] = 0x01;
        return answer;
    }

    private static bool Parses(DnsRawPackage package)
    {
        try
        {
            _ = DnsMessage.Parse(package.ToArraySegment(includeLengthHeader: false));
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    private async Task AnswerFormErrAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _transport.SendToAsync(FormErr(_package.ToArraySegment(includeLengthHeader: false)), RemoteEndPoint, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _transport.Release();
        }
    }
}
