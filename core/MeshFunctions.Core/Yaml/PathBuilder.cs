namespace MeshFunctions.Core.Yaml;

/// <summary>
/// The path of the node being visited, kept as a stack of segments and spelled out (as <see cref="JsonPath"/> does)
/// only when a finding or a position needs it, so walking a large valid document allocates no path strings.
/// </summary>
internal sealed class PathBuilder
{
    private readonly List<(string? Key, int Index)> _segments = [];
    private readonly string _base;

    public PathBuilder(string basePath = "")
    {
        _base = basePath;
    }

    public void Push(string key) => _segments.Add((key, 0));

    public void Push(int index) => _segments.Add((null, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    /// <summary>The current path, such as <c>spec.subsets[0].versions['v1.0.1']</c>.</summary>
    public override string ToString()
    {
        var path = _base;
        foreach (var (key, index) in _segments)
        {
            path = key is null ? JsonPath.Index(path, index) : JsonPath.Property(path, key);
        }

        return path;
    }
}
