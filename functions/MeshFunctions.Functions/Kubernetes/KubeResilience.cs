using System.Net;
using k8s.Autorest;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MeshFunctions.Functions.Kubernetes;

/// <summary>
/// The Polly v8 pipeline around every Kubernetes API call, outermost first: retry (exponential back-off with jitter)
/// on 429, 5xx, transport errors and timeouts; a circuit breaker that stops hammering a failing API server; a timeout
/// per attempt. 409 is not retried here: the caller re-reads the object and re-applies (<see cref="KubeConflictException"/>).
/// </summary>
internal static class KubeResilience
{
    public static ResiliencePipeline Build(ReconcilerOptions options, TimeProvider time)
    {
        var transient = new PredicateBuilder()
            .Handle<HttpOperationException>(e => IsTransient(e.Response?.StatusCode))
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = Math.Max(1, options.KubeRetryAttempts),
                Delay = options.KubeRetryDelay,
                MaxDelay = TimeSpan.FromSeconds(5),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.8,
                MinimumThroughput = 50,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.KubeBreakDuration,
            })
            .AddTimeout(options.KubeRequestTimeout)
            .Build();
    }

    private static bool IsTransient(HttpStatusCode? code) =>
        code is HttpStatusCode.TooManyRequests || (code is { } c && (int)c >= 500);
}
