using System.Text;
using MeshFunctions.TestKit.Kubernetes.Internal;
using Microsoft.AspNetCore.Http;

namespace MeshFunctions.TestKit.Kubernetes;

/// <summary>Bearer-token authentication, as the API server's token authenticator answers it.</summary>
public sealed partial class FakeKubernetesApi
{
    /// <summary>
    /// Wraps <paramref name="next"/>: with <see cref="FakeKubernetesApiOptions.RequiredBearerToken"/> set, a request without
    /// <c>Authorization: Bearer &lt;that token&gt;</c> gets 401 with a <c>Status</c> (reason Unauthorized) and reaches nothing.
    /// </summary>
    private static RequestDelegate Authenticated(FakeKubernetesApiOptions options, RequestDelegate next)
    {
        if (string.IsNullOrEmpty(options.RequiredBearerToken))
        {
            return next;
        }

        var expected = "Bearer " + options.RequiredBearerToken;
        return async context =>
        {
            if (string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            var status = new KubeApiException(StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized").ToStatus();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(status.ToJsonString()));
        };
    }
}
