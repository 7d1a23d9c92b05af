namespace MeshFunctions.Rls.Tests.Api;

public sealed class ShouldRateLimitInProcessTests : ShouldRateLimitTestsBase
{
    protected override Task<Dictionary<string, string?>> BackendSettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Rls:Backend"] = "InProcess" });
}
