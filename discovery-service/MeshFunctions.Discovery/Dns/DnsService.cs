using System.Globalization;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using MeshFunctions.Core.Discovery;
using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Discovery.Dns;

/// <summary>
/// Consul's DNS interface on UDP and TCP (ARSoft.Tools.Net does the wire format): A and SRV for
/// <c>[tag.]svc.service[.dc].consul</c> and <c>_svc._tag.service[.dc].consul</c>, with the same mesh/legacy rule
/// as HTTP. Legacy answers drop only critical instances (Consul's <c>only_passing=false</c>); TTL 0; SRV
/// targets are <c>node.node.dc.consul</c> or <c>hexip.addr.dc.consul</c> with their A records as additional
/// records; plain UDP answers over the answer limit are cut with the TC bit set so resolvers retry over TCP.
/// </summary>
internal sealed partial class DnsService : IHostedService, IDisposable
{
    private readonly AnswerService _answers;
    private readonly DiscoveryOptions _options;
    private readonly DiscoveryMetrics _metrics;
    private readonly ILogger<DnsService> _logger;
    private readonly DomainName _domain;
    private DnsServer? _server;

    public DnsService(AnswerService answers, IOptions<DiscoveryOptions> options, DiscoveryMetrics metrics, ILogger<DnsService> logger)
    {
        _answers = answers;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _domain = DomainName.Parse(_options.DnsDomain.TrimEnd('.'));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.DnsPort < 0)
        {
            return Task.CompletedTask;
        }

        var endpoint = new IPEndPoint(_options.LoopbackOnly ? IPAddress.Loopback : IPAddress.Any, _options.DnsPort);
        _server = new DnsServer(new UdpDnsTransport(endpoint, _options.DnsUdpInFlight, error => Log.SocketError(_logger, error)), new TcpServerTransport(endpoint));
        _server.QueryReceived += OnQueryAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            Log.DnsError(_logger, e.Exception.Message);
            return Task.CompletedTask;
        };
        _server.Start();
        Log.Listening(_logger, endpoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => _server?.Stop();

    /// <summary>Answers one query (public for tests and the benchmark: no socket needed).</summary>
    public async Task<DnsMessage> AnswerAsync(DnsMessage query, IPAddress? caller, bool udp, CancellationToken cancellationToken)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        response.IsAuthoritiveAnswer = true;
        if (query.Questions.Count != 1 || query.IsQuery is false)
        {
            _metrics.BadRequests.WithLabels("dns").Inc();
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        if (!question.Name.IsEqualOrSubDomainOf(_domain) || question.RecordClass is not (RecordClass.INet or RecordClass.Any))
        {
            response.ReturnCode = ReturnCode.Refused;
            return response;
        }

        var labels = question.Name.Labels.Take(question.Name.LabelCount - _domain.LabelCount).Select(l => l.ToLowerInvariant()).ToList();
        var name = DnsName.Parse(labels);
        if (name is null)
        {
            return NameError(response);
        }

        var dc = name.Datacenter ?? _options.Datacenter;
        var local = string.Equals(dc, _options.Datacenter, StringComparison.OrdinalIgnoreCase);
        if (name.Kind == DnsNameKind.Address)
        {
            if (!TryParseHexIp(name.Service, out var ip))
            {
                return NameError(response);
            }

            if (question.RecordType is RecordType.A or RecordType.Any)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, 0, ip));
            }

            return response;
        }

        var instances = await InstancesAsync(name, caller, local, cancellationToken).ConfigureAwait(false);
        if (instances is null)
        {
            response.ReturnCode = ReturnCode.ServerFailure;
            return response;
        }

        if (instances.Count == 0)
        {
            return NameError(response);
        }

        var shuffled = instances.ToArray();
        Random.Shared.Shuffle(shuffled);
        var wantsSrv = question.RecordType is RecordType.Srv || (name.Rfc2782 && question.RecordType is RecordType.Any);
        foreach (var instance in shuffled)
        {
            if (wantsSrv)
            {
                var target = instance.NodeAddress
                    ? (DomainName.Parse($"{instance.Node}.node.{dc}") + _domain)
                    : (DomainName.Parse($"{HexIp(instance.Address)}.addr.{dc}") + _domain);
                response.AnswerRecords.Add(new SrvRecord(question.Name, 0, 1, 1, (ushort)instance.Port, target));
                response.AdditionalRecords.Add(new ARecord(target, 0, instance.Address));
            }
            else if (question.RecordType is RecordType.A or RecordType.Any)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, 0, instance.Address));
            }
        }

        if (response.AnswerRecords.Count == 0)
        {
            response.AuthorityRecords.Add(Soa());
        }

        if (udp && !query.IsEDnsEnabled && response.AnswerRecords.Count > _options.DnsUdpAnswerLimit)
        {
            response.AnswerRecords = [.. response.AnswerRecords.Take(_options.DnsUdpAnswerLimit)];
            response.AdditionalRecords = [.. response.AdditionalRecords.Take(_options.DnsUdpAnswerLimit)];
            response.IsTruncated = true;
        }

        return response;
    }

    private static bool TryParseHexIp(string hex, out IPAddress address)
    {
        address = IPAddress.None;
        if (hex.Length != 8 || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        address = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        return true;
    }

    private static string HexIp(IPAddress address) => Convert.ToHexStringLower(address.GetAddressBytes());

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            _metrics.BadRequests.WithLabels("dns").Inc();
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            e.Response = await AnswerAsync(query, e.RemoteEndpoint.Address, e.TransportProtocol == TransportProtocol.Udp, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ArgumentException or FormatException)
        {
            var failure = query.CreateResponseInstance();
            failure.ReturnCode = ex is OperationCanceledException ? ReturnCode.ServerFailure : ReturnCode.FormatError;
            e.Response = failure;
        }
    }

    private DnsMessage NameError(DnsMessage response)
    {
        response.ReturnCode = ReturnCode.NxDomain;
        response.AuthorityRecords.Add(Soa());
        return response;
    }

    private SoaRecord Soa() =>
        new(_domain, 0, DomainName.Parse("ns") + _domain, DomainName.Parse("postmaster") + _domain, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3600, 600, 86400, 0);

    /// <summary>The instances for a service name under the rule; null when upstream has never answered.</summary>
    private async Task<IReadOnlyList<DnsInstance>?> InstancesAsync(DnsName name, IPAddress? caller, bool local, CancellationToken cancellationToken)
    {
        var (kind, target, callerState) = _answers.Decide(name.Service, caller, local);
        _answers.AnswerCounter("dns", kind).Inc();
        if (kind == AnswerKind.Mesh)
        {
            _answers.ObserveMesh(callerState, target!);
            return [new DnsInstance(IPAddress.Parse(target!.ServiceIp!), target.Port, _options.MeshNodeName, false)];
        }

        var path = "/v1/health/service/" + Uri.EscapeDataString(name.Service) + (name.Tag is null ? string.Empty : "?tag=" + Uri.EscapeDataString(name.Tag));
        if (!local)
        {
            path += (name.Tag is null ? "?" : "&") + "dc=" + Uri.EscapeDataString(name.Datacenter!);
        }

        var snapshot = await _answers.UpstreamSnapshotAsync(path, cancellationToken).ConfigureAwait(false);
        return snapshot.Result is { } result ? DnsInstances.FromHealth(result) : null;
    }
}
