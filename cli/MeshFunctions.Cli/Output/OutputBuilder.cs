using System.Text.Json.Nodes;

namespace MeshFunctions.Cli.Output;

/// <summary>Turns a list of objects into stdout text or an <c>--out-dir</c> tree.</summary>
internal static class OutputBuilder
{
    public static PendingOutput ForObjects(IReadOnlyList<JsonObject> objects, OutputFormat format, string? outDir)
    {
        var output = new PendingOutput();
        if (outDir is null)
        {
            output.Stdout(ObjectFormatter.FormatAll(objects, format));
            return output;
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            var path = ObjectFormatter.RelativePath(obj, format);
            files[path] = ObjectFormatter.FormatOne(obj, format);
        }

        output.Directory(outDir, files);
        return output;
    }
}
