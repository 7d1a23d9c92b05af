using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.Tests.Yaml;

/// <summary>
/// The simple reader (with YamlDotNet taking over where it gives up) against YamlDotNet alone: the same documents, the
/// same values and types, the same start and field positions, the same errors — on hand-picked edge cases and on
/// generated YAML of every style (and deliberately broken), and it must not give up on what kubectl writes.
/// </summary>
public sealed class SimpleYamlReaderTests
{
    private const string KubectlDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          annotations:
            deployment.kubernetes.io/revision: "3"
          labels:
            app: web
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
                version: v1.0.2
            spec:
              containers:
              - args: ["--port=8080", '--mode=it''s']
                env:
                - name: A
                  value: "1"
                - name: B
                image: nginx:1.25
                ports:
                - containerPort: 8080 # the http port
                  protocol: TCP
                resources:
                  limits: {cpu: "1", memory: 512Mi}
                  requests: {}
              tolerations: []
        status: {}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports:
          -   port: 80
              targetPort: 8080
          selector:
            app: web
        """;

    [Fact]
    public void Next_KubectlStyleObjects_ReadWithoutGivingUp()
    {
        var reader = new SimpleYamlReader(KubectlDeployment.ReplaceLineEndings("\n"));

        Assert.Equal(SimpleYamlReader.Outcome.Document, reader.Next(out var first, out _, out var line, out _));
        Assert.Equal(SimpleYamlReader.Outcome.Document, reader.Next(out var second, out _, out _, out _));
        Assert.Equal(SimpleYamlReader.Outcome.End, reader.Next(out _, out _, out _, out _));
        Assert.Equal(1, line);
        Assert.Equal("512Mi", (string?)first!["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);
        Assert.Equal("--mode=it's", (string?)first["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]![1]);
        Assert.Equal(80, (long)second!["spec"]!["ports"]![0]!["port"]!);
        AssertSameAsYamlDotNet(KubectlDeployment.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("a: |\n  text\n")]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("- a\n  b\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: 1\r\nb: 2\r\n")]
    [InlineData("\uFEFFa: 1\n")]
    [InlineData("a: é\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a: {b: 1, b: 2}\n")]
    [InlineData("a: [1, 2,]\n")]
    [InlineData("a: [1,\n  2]\n")]
    [InlineData("a: [1, 2\nb: 3\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: b:\n")]
    [InlineData("a: - b\n")]
    [InlineData("a: -\n")]
    [InlineData("a: -1\nb: --x\nc: -.5\n")]
    [InlineData("a: .inf\n")]
    [InlineData("a: 0x1F\nb: 1_000\nc: 1e3\nd: 99999999999999999999\ne: 012\n")]
    [InlineData("a: yes\nb: 'yes'\nc: \"no\"\nd: ~\ne:\nf: Null\n")]
    [InlineData("a: \"x\\ty\\\\z\\\"\"\nb: \"\\u00e9\"\nc: 'a''b'\nd: ''\ne: \"\"\n")]
    [InlineData("a: 'x' y\n")]
    [InlineData("a: \"x\"#y\n")]
    [InlineData("a: x #c\nb: x#c\nc: 'x' # c\n# c\n  # indented comment\nd: [x] #c\n")]
    [InlineData("---\n")]
    [InlineData("---\n---\n")]
    [InlineData("a: 1\n---\n")]
    [InlineData("# only a comment\n")]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("--- # c\na: 1\n")]
    [InlineData("--- a: 1\n")]
    [InlineData("a: 1\n...\n---\nb: 2\n")]
    [InlineData("%YAML 1.1\n---\na: 1\n")]
    [InlineData("a: 1\n---\nb: [\n---\nc: 3\n")]
    [InlineData("a: 1\n---\nb: 2\n---\nc: |\n  x\n---\nd: 4\n---\ne: @\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("  a: 1\n  b: 2\n")]
    [InlineData("just text\n")]
    [InlineData("a:\n- b\n- c: 1\n  d:\n  - e\n  f: 2\ng: 3\n")]
    [InlineData("a:\n  - b\n  c: 1\n")]
    [InlineData("a:\n    b: 1\n  c: 2\n")]
    [InlineData("a:\n  b: 1\n c: 2\n")]
    [InlineData("- a: 1\n b: 2\n")]
    [InlineData("- - a\n")]
    [InlineData("-\n  a: 1\n-\n- x\n")]
    [InlineData("a:\n-\n- b\n")]
    [InlineData("a b: 1\na:b: 2\n\"q\": 3\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("a: {b: [1, {c: d}], e: []}\nf: [[], {}, [x, y]]\n")]
    [InlineData("a: {b: http://x}\n")]
    [InlineData("a: {b:1}\n")]
    [InlineData("a: [b, c] d\n")]
    [InlineData("a: x,y\nb: x]\nc: x{y\n")]
    [InlineData("a: 'multi\n  line'\n")]
    [InlineData("a: \"multi\n  line\"\n")]
    [InlineData("a:\n  b:\n    c:\n      d: 1\n  e: 2\n")]
    [InlineData("key with spaces  : v\n")]
    [InlineData("a: 1 \nb: 2   \n")]
    [InlineData("a:   \n  b: 1\n")]
    [InlineData("---   \na: 1\n")]
    [InlineData("----\na: 1\n")]
    public void ReadEach_EdgeCase_SameAsYamlDotNet(string yaml) => AssertSameAsYamlDotNet(yaml);

    [Fact]
    public void ReadEach_DeepNesting_SameAsYamlDotNet()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 70; i++)
        {
            sb.Append(' ', i * 2).Append('k').Append(i).Append(":\n");
        }

        sb.Append(' ', 140).Append("v: 1\n");
        AssertSameAsYamlDotNet(sb.ToString());
        AssertSameAsYamlDotNet("a: " + new string('[', 70) + new string(']', 70) + "\n");
    }

    [Fact]
    public void ReadEach_GeneratedYaml_SameAsYamlDotNet()
    {
        var (texts, readSimply) = (0, 0);
        Gen.Int.Sample(
            seed =>
            {
                var rng = new Random(seed);
                var sb = new StringBuilder();
                var documents = rng.Next(1, 4);
                for (var d = 0; d < documents; d++)
                {
                    if (d > 0 || rng.Next(4) == 0)
                    {
                        sb.Append(rng.Next(12) switch { 0 => "--- # doc\n", 1 => "...\n---\n", _ => "---\n" });
                    }

                    if (rng.Next(8) > 0)
                    {
                        Mapping(rng, sb, 0, 0, first: null);
                    }
                }

                var yaml = Perturb(rng, sb.ToString());
                AssertSameAsYamlDotNet(yaml);
                texts++;
                readSimply += new SimpleYamlReader(yaml).Next(out _, out _, out _, out _) == SimpleYamlReader.Outcome.Document ? 1 : 0;
            },
            iter: 3000,
            threads: 1);

        // The comparison means something only if the simple reader takes a fair share of the generated documents.
        Assert.True(readSimply * 5 > texts, $"the simple reader read the first document of only {readSimply} of {texts} texts");
    }

    private static readonly string[] Keys = ["a", "b", "name", "app.kubernetes.io/name", "x y", "k-1", "1", "true", "a:b", "on"];

    private static readonly string[] OddKeys = ["a#b", "-k", "\"q\"", "'s'", "[k]", "é", "k ", "*k", "a: b", "a,b", "k}"];

    private static readonly string[] Scalars =
    [
        "a", "web", "yes", "No", "1", "-1", "1.5", "0x1F", "1_000", "012", "1e3", "a:b", "a#b", "it's", "say \"hi\"", "", "~", "null", "x,y", "http://h:80/p",
        "a\\b", "100m", "/healthz", "v1.0.2", "--port=8080", "-x", "-.5", "+1", ".5", "1.", "99999999999999999999", "TRUE", "Off",
    ];

    private static readonly string[] OddScalars =
    [
        "a: b", "# x", "a #b", " x", "x ", "[a]", "{a}", "-", "- x", ".inf", "@x", "*x", "&x", "!x", "|", ">", "%x", "`x", "?x", "? x", ":x", "x:", "---",
        "...", "é", "a\tb", "line\nbreak", "a]", "a}", "a'", "'", "\"",
    ];

    private static string Pick(Random rng, string[] common, string[] odd) => rng.Next(10) == 0 ? odd[rng.Next(odd.Length)] : common[rng.Next(common.Length)];

    private static void Mapping(Random rng, StringBuilder sb, int indent, int depth, int? first)
    {
        var count = rng.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            if (rng.Next(10) == 0)
            {
                sb.Append(' ', rng.Next(indent + 3)).Append(rng.Next(2) == 0 ? "# comment\n" : "\n");
            }

            sb.Append(' ', i == 0 && first is not null ? 0 : indent).Append(Scalar(rng, Pick(rng, Keys, OddKeys), key: true)).Append(':');
            Value(rng, sb, indent, depth, sequenceAtKeyIndent: rng.Next(2) == 0);
        }
    }

    private static void Sequence(Random rng, StringBuilder sb, int indent, int depth)
    {
        var count = rng.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            sb.Append(' ', indent).Append('-');
            switch (depth > 4 ? 0 : rng.Next(4))
            {
                case 0:
                    sb.Append(' ').Append(Inline(rng, depth)).Append('\n');
                    break;
                case 1:
                    var gap = rng.Next(1, 4);
                    sb.Append(' ', gap);
                    Mapping(rng, sb, indent + 1 + gap, depth + 1, first: indent + 1 + gap);
                    break;
                case 2:
                    sb.Append('\n');
                    Sequence(rng, sb, indent + 2, depth + 1);
                    break;
                default:
                    sb.Append('\n');
                    Mapping(rng, sb, indent + 2, depth + 1, first: null);
                    break;
            }
        }
    }

    private static void Value(Random rng, StringBuilder sb, int indent, int depth, bool sequenceAtKeyIndent)
    {
        switch (depth > 4 ? 0 : rng.Next(5))
        {
            case 0 or 1:
                sb.Append(' ').Append(Inline(rng, depth));
                if (rng.Next(6) == 0)
                {
                    sb.Append(" # note");
                }

                sb.Append('\n');
                break;
            case 2:
                sb.Append('\n');
                Mapping(rng, sb, indent + (rng.Next(3) == 0 ? 4 : 2), depth + 1, first: null);
                break;
            case 3:
                sb.Append('\n');
                Sequence(rng, sb, sequenceAtKeyIndent ? indent : indent + 2, depth + 1);
                break;
            default:
                sb.Append('\n'); // null
                break;
        }
    }

    private static string Inline(Random rng, int depth) => (depth > 5 ? 0 : rng.Next(6)) switch
    {
        0 or 1 or 2 => Scalar(rng, Pick(rng, Scalars, OddScalars), key: false),
        3 => "[" + string.Join(", ", Enumerable.Range(0, rng.Next(4)).Select(_ => Inline(rng, depth + 1))) + "]",
        4 => "{" + string.Join(", ", Enumerable.Range(0, rng.Next(4)).Select(_ => Scalar(rng, Pick(rng, Keys, OddKeys), key: true) + ": " + Inline(rng, depth + 1))) + "}",
        _ => "{}",
    };

    /// <summary>A scalar written plain (as is, valid or not), single-quoted or double-quoted.</summary>
    private static string Scalar(Random rng, string value, bool key) => rng.Next(key ? 40 : 4) switch
    {
        0 => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        1 => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"",
        _ => value,
    };

    /// <summary>Sometimes breaks the text: a tab, a shifted line, a doubled line, trailing spaces, CRLF.</summary>
    private static string Perturb(Random rng, string yaml)
    {
        var lines = yaml.Split('\n').ToList();
        switch (rng.Next(20))
        {
            case 0 when lines.Count > 1:
                var i = rng.Next(lines.Count - 1);
                lines[i] = " " + lines[i];
                break;
            case 1 when lines.Count > 1:
                var j = rng.Next(lines.Count - 1);
                lines.Insert(j, lines[j]);
                break;
            case 2 when lines.Count > 1:
                var k = rng.Next(lines.Count - 1);
                lines[k] = lines[k].Replace("  ", "\t", StringComparison.Ordinal);
                break;
            case 3:
                return yaml.Replace("\n", " \n", StringComparison.Ordinal);
            case 4:
                return yaml.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        return string.Join('\n', lines);
    }

    private static void AssertSameAsYamlDotNet(string yaml)
    {
        var (fast, fastError) = ReadAll(yaml, simple: true);
        var (full, fullError) = ReadAll(yaml, simple: false);

        Assert.True(fast.Count == full.Count, $"{fast.Count} documents instead of {full.Count} in\n{yaml}");
        Assert.True((fastError is null) == (fullError is null), $"error {fastError?.Diagnostics[0]} instead of {fullError?.Diagnostics[0]} in\n{yaml}");
        if (fullError is not null)
        {
            Assert.Equal(fullError.Diagnostics.Select(d => d.ToString()), fastError!.Diagnostics.Select(d => d.ToString()));
        }

        for (var i = 0; i < full.Count; i++)
        {
            Assert.Equal(full[i].Index, fast[i].Index);
            Assert.True(JsonNode.DeepEquals(full[i].Root, fast[i].Root), $"document {i}: {fast[i].Root?.ToJsonString()} instead of {full[i].Root?.ToJsonString()} in\n{yaml}");
            Assert.Equal(full[i].Root?.ToJsonString(), fast[i].Root?.ToJsonString());
            if (full[i].Root is not null)
            {
                Assert.Equal(full[i].Start, fast[i].Start);
            }

            foreach (var path in Paths(full[i].Root, string.Empty))
            {
                Assert.True(full[i].Locate(path) == fast[i].Locate(path), $"document {i} '{path}': {Show(fast[i].Locate(path))} instead of {Show(full[i].Locate(path))} in\n{yaml}");
            }
        }
    }

    private static (List<SourceDocument> Documents, ManifestException? Error) ReadAll(string yaml, bool simple)
    {
        var documents = new List<SourceDocument>();
        try
        {
            foreach (var doc in YamlReader.ReadEach(yaml, "f.yaml", simple))
            {
                documents.Add(doc);
            }
        }
        catch (ManifestException ex)
        {
            return (documents, ex);
        }

        return (documents, null);
    }

    private static string Show(SourceLocation location) => $"{location.Line}:{location.Column}";

    private static IEnumerable<string> Paths(JsonNode? node, string path)
    {
        yield return path;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var p in Paths(value, JsonPath.Property(path, key)))
                    {
                        yield return p;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var p in Paths(a[i], JsonPath.Index(path, i)))
                    {
                        yield return p;
                    }
                }

                break;
        }
    }
}
