namespace MeshFunctions.Cli.Tests.Infrastructure;

/// <summary>Istio's CRD bundle for schema checks: <c>$ISTIO_CRDS</c> (set by eng/test.sh), else <c>../shared/istio/crd-all.gen.yaml</c>.</summary>
internal static class IstioCrds
{
    public static string? Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("ISTIO_CRDS") is { Length: > 0 } v
                ? v
                : System.IO.Path.Combine(Repo.Root, "..", "shared", "istio", "crd-all.gen.yaml");
            return File.Exists(path) ? path : null;
        }
    }
}
