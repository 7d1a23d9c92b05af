using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;
using MeshFunctions.Webhooks.Cache;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>The cache's Routers parsed once per change (the retry rule needs their protocol); unreadable ones are skipped.</summary>
internal sealed class RouterCatalog(ClusterCache cache)
{
    private (long Version, IReadOnlyList<Router> Routers) _parsed = (-1, []);

    public IReadOnlyList<Router> Current
    {
        get
        {
            var snapshot = cache.Routers.Current;
            var parsed = _parsed;
            if (parsed.Version == snapshot.Version)
            {
                return parsed.Routers;
            }

            var routers = new List<Router>();
            foreach (var obj in snapshot.All)
            {
                if (ManifestParser.Bind(obj, typeof(Router), string.Empty, new List<Diagnostic>()) is Router router)
                {
                    routers.Add(router);
                }
            }

            _parsed = (snapshot.Version, routers);
            return routers;
        }
    }
}
