using Envoy.Service.Ratelimit.V3;
using Grpc.Core;

namespace MeshFunctions.Rls.BenchHost;

/// <summary>Benchmark baseline: the cheapest valid answer on the same server stack (one OK status per descriptor).</summary>
internal sealed class EmptyRateLimitService : RateLimitService.RateLimitServiceBase
{
    public override Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
    {
        var response = new RateLimitResponse { OverallCode = RateLimitResponse.Types.Code.Ok };
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            response.Statuses.Add(new RateLimitResponse.Types.DescriptorStatus { Code = RateLimitResponse.Types.Code.Ok });
        }

        return Task.FromResult(response);
    }
}
