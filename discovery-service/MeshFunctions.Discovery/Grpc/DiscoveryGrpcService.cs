using System.Text.Json;
using global::Grpc.Core;
using MeshFunctions.Discovery.Answers;
using MeshFunctions.Discovery.Grpc.V1;

namespace MeshFunctions.Discovery.Grpc;

/// <summary>The gRPC API: a thin translation of <see cref="AnswerService"/>'s health answers (mesh or legacy) to protobuf.</summary>
internal sealed class DiscoveryGrpcService : V1.Discovery.DiscoveryBase
{
    private readonly AnswerService _answers;

    public DiscoveryGrpcService(AnswerService answers) => _answers = answers;

    public override Task<Resolution> Resolve(ResolveRequest request, ServerCallContext context)
    {
        Validate(request.Service, request.Tag);
        return AnswerAsync(request.Service, request.Tag, request.PassingOnly, 0, context);
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<Resolution> responseStream, ServerCallContext context)
    {
        Validate(request.Service, request.Tag);
        var index = request.AfterIndex;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var resolution = await AnswerAsync(request.Service, request.Tag, request.PassingOnly, index, context).ConfigureAwait(false);
            if (resolution.Index != index)
            {
                await responseStream.WriteAsync(resolution, context.CancellationToken).ConfigureAwait(false);
            }

            index = resolution.Index;
        }
    }

    private static void Validate(string service, string tag)
    {
        if (string.IsNullOrWhiteSpace(service) || service.Length > 512 || service.Contains('/', StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "service must be a non-empty Consul service name without '/' (at most 512 characters)"));
        }

        if (tag.Length > 512)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tag must be at most 512 characters"));
        }
    }

    private static Resolution ToResolution(string service, Answer answer)
    {
        var resolution = new Resolution
        {
            Service = service,
            Index = answer.Index,
            KnownLeader = answer.KnownLeader,
            LastContactMs = answer.LastContactMs,
            Kind = answer.Kind switch
            {
                Core.Discovery.AnswerKind.Mesh => V1.AnswerKind.Mesh,
                Core.Discovery.AnswerKind.Proxy => V1.AnswerKind.Proxy,
                _ => V1.AnswerKind.Legacy,
            },
        };
        using var document = JsonDocument.Parse(answer.Body);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var node = entry.GetProperty("Node");
            var instance = entry.GetProperty("Service");
            var address = instance.GetProperty("Address").GetString();
            var endpoint = new V1.Endpoint
            {
                Address = string.IsNullOrEmpty(address) ? node.GetProperty("Address").GetString() ?? string.Empty : address,
                Port = instance.GetProperty("Port").GetInt32(),
                Node = node.GetProperty("Node").GetString() ?? string.Empty,
                Status = Worst(entry.GetProperty("Checks")),
            };
            if (instance.TryGetProperty("Tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
            {
                endpoint.Tags.AddRange(tags.EnumerateArray().Select(t => t.GetString() ?? string.Empty));
            }

            resolution.Endpoints.Add(endpoint);
        }

        return resolution;
    }

    private static string Worst(JsonElement checks)
    {
        var worst = "passing";
        foreach (var check in checks.EnumerateArray())
        {
            var status = check.GetProperty("Status").GetString();
            if (status == "critical")
            {
                return "critical";
            }

            if (status == "warning")
            {
                worst = "warning";
            }
        }

        return worst;
    }

    private async Task<Resolution> AnswerAsync(string service, string tag, bool passing, ulong index, ServerCallContext context)
    {
        var target = "/v1/health/service/" + Uri.EscapeDataString(service);
        var query = new List<string>();
        if (tag.Length > 0)
        {
            query.Add("tag=" + Uri.EscapeDataString(tag));
        }

        if (passing)
        {
            query.Add("passing=1");
        }

        if (query.Count > 0)
        {
            target += "?" + string.Join('&', query);
        }

        var caller = context.GetHttpContext().Connection.RemoteIpAddress;
        var answer = await _answers.AnswerServiceAsync(new ServiceQuery(ServiceEndpoint.Health, service, caller, tag.Length > 0, true), target, null, index, TimeSpan.FromMinutes(5), "grpc", context.CancellationToken).ConfigureAwait(false);
        if (answer.Status != 200)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"upstream Consul answered {answer.Status}: {System.Text.Encoding.UTF8.GetString(answer.Body)}"));
        }

        return ToResolution(service, answer);
    }
}
