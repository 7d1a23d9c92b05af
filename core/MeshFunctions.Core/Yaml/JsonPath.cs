namespace MeshFunctions.Core.Yaml;

/// <summary>
/// Builds field paths in the same spelling System.Text.Json uses in its exceptions
/// (<c>spec.subsets[0].versions['v1.0.1']</c>, without the leading <c>$.</c>), so that a path
/// from any source can be looked up in a <see cref="SourceDocument"/>'s line map.
/// </summary>
public static class JsonPath
{
    public static string Property(string parent, string name)
    {
        if (IsPlain(name))
        {
            return parent.Length == 0 ? name : parent + "." + name;
        }

        return parent + "['" + name + "']";
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>Turns a System.Text.Json path (<c>$.a.b[0]</c>) into ours (<c>a.b[0]</c>).</summary>
    public static string FromSystemTextJson(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '@' || c == ':' || c == '/'))
            {
                return false;
            }
        }

        return true;
    }
}
