using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace MeshFunctions.Discovery.Dns;

/// <summary>
/// Discovery's UDP transport under ARSoft's <see cref="DnsServer"/> (which keeps the message parsing, encoding and
/// truncation). It replaces ARSoft's own <c>UdpServerTransport</c>, whose receive path has no limit on datagrams in
/// flight (one task per datagram, so a flood queues unbounded work ahead of every later query), reads into a
/// 514-byte buffer, and never answers a datagram it cannot parse. Here: one receive loop into a 64 KiB buffer that
/// survives every socket error (ICMP-driven <c>ConnectionReset</c>, oversized datagrams), at most
/// <see cref="DiscoveryOptions.DnsUdpInFlight"/> datagrams being answered at once (beyond that the kernel's socket
/// buffer absorbs or drops, as for any UDP server), and FORMERR for a datagram with a DNS header that does not parse.
/// </summary>
internal sealed class UdpDnsTransport : IServerTransport
{
    private const int HeaderLength = 12;
    private readonly IPEndPoint _endpoint;
    private readonly Socket _socket;
    private readonly SemaphoreSlim _inFlight;
    private readonly byte[] _buffer = new byte[ushort.MaxValue];
    private readonly Action<SocketError> _onSocketError;

    public UdpDnsTransport(IPEndPoint endpoint, int inFlight, Action<SocketError> onSocketError)
    {
        _endpoint = endpoint;
        _inFlight = new SemaphoreSlim(inFlight, inFlight);
        _onSocketError = onSocketError;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
    }

    public ushort DefaultAllowedResponseSize => 512;

    public bool SupportsMultipleResponses => false;

    public bool AllowTruncatedResponses => true;

    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    public void Bind() => _socket.Bind(_endpoint);

    public void Close() => _socket.Close();

    public void Dispose()
    {
        _socket.Dispose();
        _inFlight.Dispose();
    }

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        try
        {
            await _inFlight.WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }

        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                // An ICMP error for an earlier answer (ConnectionReset), a truncated datagram: neither ends the listener.
                _onSocketError(ex.SocketErrorCode);
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }

            if (received.ReceivedBytes < HeaderLength)
            {
                continue; // no header, no transaction id to answer
            }

            var packet = new byte[received.ReceivedBytes + DnsRawPackage.LENGTH_HEADER_LENGTH];
            _buffer.AsSpan(0, received.ReceivedBytes).CopyTo(packet.AsSpan(DnsRawPackage.LENGTH_HEADER_LENGTH));
            packet[0] = (byte)(received.ReceivedBytes >> 8);
            packet[1] = (byte)received.ReceivedBytes;
            var remote = (IPEndPoint)received.RemoteEndPoint;
            DnsReceivedRawPackage package;
            try
            {
                // ARSoft's package reads the first question already: a malformed one throws here.
                package = new DnsReceivedRawPackage(packet, remote, _endpoint);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _ = SendToAsync(UdpDnsConnection.FormErr(packet.AsSpan(DnsRawPackage.LENGTH_HEADER_LENGTH)), remote, token);
                continue;
            }

            return new UdpDnsConnection(this, package);
        }

        Release();
        return null;
    }

    /// <summary>Sends one answer; false when the socket refuses it (the client is gone: nothing to do).</summary>
    internal async Task<bool> SendToAsync(ReadOnlyMemory<byte> answer, IPEndPoint remote, CancellationToken token)
    {
        try
        {
            return await _socket.SendToAsync(answer, SocketFlags.None, remote, token).ConfigureAwait(false) == answer.Length;
        }
        catch (SocketException ex)
        {
            _onSocketError(ex.SocketErrorCode);
            return false;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    internal void Release()
    {
        try
        {
            _inFlight.Release();
        }
        catch (ObjectDisposedException)
        {
            // stopped
        }
    }
}
