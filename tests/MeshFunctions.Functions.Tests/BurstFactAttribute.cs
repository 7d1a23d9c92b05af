namespace MeshFunctions.Functions.Tests;

/// <summary>The burst load run: opt-in with <c>MF_FUNCTIONS_BURST=routers</c> (e.g. 2000); skipped otherwise because it takes minutes.</summary>
public sealed class BurstFactAttribute : FactAttribute
{
    public BurstFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MF_FUNCTIONS_BURST")))
        {
            Skip = "set MF_FUNCTIONS_BURST=<routers> to run the burst load (5 deploy events per Router)";
        }
    }
}
