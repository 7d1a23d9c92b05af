using MeshFunctions.Rls;
using MeshFunctions.Rls.BenchHost;

// The benchmark's baseline: the RLS server stack (same listeners, settings, health and metrics endpoints) with an
// empty ShouldRateLimit handler in place of the real one. Not part of the product binary.
var app = RlsApplication.BuildHost(args);
var options = RlsApplication.Options(app.Configuration);
app.MapGrpcService<EmptyRateLimitService>().RequireHost($"*:{options.GrpcPort}");
app.MapRateLimitSupport(options);
app.Run();
