using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Cli.Output;

/// <summary>
/// Serializes objects as they are produced (YAML to one UTF-8 buffer, or one text per <c>--out-dir</c> file), so the
/// object trees die young; the text is written only when the command commits its <see cref="PendingOutput"/>.
/// JSON to stdout is one <c>List</c> document and is built at the end.
/// </summary>
internal sealed class ObjectSink
{
    private readonly OutputFormat _format;
    private readonly string? _outDir;
    private readonly Utf8Text _yaml = new();
    private readonly StringBuilder _scratch = new();
    private readonly List<JsonNode> _json = [];
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private bool _any;

    public ObjectSink(OutputFormat format, string? outDir)
    {
        _format = format;
        _outDir = outDir;
    }

    public void Add(JsonObject obj)
    {
        if (_outDir is not null)
        {
            _files[ObjectFormatter.RelativePath(obj, _format)] = ObjectFormatter.FormatOne(obj, _format);
        }
        else if (_format == OutputFormat.Json)
        {
            _json.Add(obj);
        }
        else
        {
            // One object at a time through a small UTF-16 buffer; the output is kept as UTF-8.
            _scratch.Clear();
            if (_any)
            {
                _scratch.Append("---\n");
            }

            YamlWriter.Write(_scratch, obj);
            _yaml.Append(_scratch);
        }

        _any = true;
    }

    public PendingOutput ToPendingOutput()
    {
        var output = new PendingOutput();
        if (_outDir is not null)
        {
            output.Directory(_outDir, _files);
        }
        else
        {
            if (_format == OutputFormat.Json)
            {
                output.Stdout(ObjectFormatter.FormatAll(_json, _format));
            }
            else
            {
                output.Stdout(_yaml);
            }
        }

        return output;
    }
}
