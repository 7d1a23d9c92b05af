using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using MeshFunctions.Rls.Limiting;
using MeshFunctions.Rls.Observability;

namespace MeshFunctions.Rls.Api;

/// <summary>The wire handler: hands the request to <see cref="RateLimitEngine"/> and maps its refusals to gRPC statuses.</summary>
internal sealed class RateLimitGrpcService : RateLimitService.RateLimitServiceBase
{
    private readonly RateLimitEngine _engine;
    private readonly RlsMetrics _metrics;

    public RateLimitGrpcService(RateLimitEngine engine, RlsMetrics metrics)
    {
        _engine = engine;
        _metrics = metrics;
    }

    public override async Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        try
        {
            return await _engine.ShouldRateLimitAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (RlsRequestException ex)
        {
            _metrics.ServiceErrors.Inc();
            throw new RpcException(new Status(ex.Status, ex.Message));
        }
    }
}
