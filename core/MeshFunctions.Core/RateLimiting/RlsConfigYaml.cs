using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Core.RateLimiting;

/// <summary>
/// The RLS config file format, shared by the renderer (which writes it for the chart's ConfigMap) and the
/// RLS (which loads it): envoyproxy/ratelimit's YAML — <c>domain</c>, nested <c>descriptors</c> with
/// <c>key</c>, <c>value</c>, <c>rate_limit{unit, requests_per_unit, unlimited, name, replaces[{name}]}</c>,
/// <c>shadow_mode</c>, <c>detailed_metric</c>, <c>quota_mode</c>, <c>share_threshold</c>, <c>value_to_metric</c>,
/// <c>metadata</c> — extended with <c>rate_limits: [...]</c> (several limits on
/// one descriptor) and <c>algorithm</c> per limit (<c>fixed_window</c> default, <c>sliding_window</c>,
/// <c>token_bucket</c>). Each YAML document holds one domain.
/// </summary>
/// <remarks>
/// Reading is strict: unknown keys, wrong types, bad units, missing <c>requests_per_unit</c>, a
/// <c>unit</c> beside <c>unlimited: true</c>, self-replacement and duplicate descriptors (same key and
/// value at one level), <c>share_threshold</c> on a value without <c>*</c> and a <c>metadata</c> that is not a
/// mapping are errors with file and line.
/// </remarks>
public static class RlsConfigYaml
{
    /// <summary>Parses every document of <paramref name="text"/>; returns the valid domains and every finding.</summary>
    public static RlsConfigParseResult Parse(string text, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<SourceDocument> documents;
        try
        {
            documents = YamlReader.Read(text, file);
        }
        catch (ManifestException ex)
        {
            return new RlsConfigParseResult([], ex.Diagnostics);
        }

        var configs = new List<RlsConfig>();
        var diagnostics = new List<Diagnostic>();
        var domains = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents.Where(d => d.Root is not null))
        {
            var (config, found) = RlsConfigYamlReader.Read(document);
            diagnostics.AddRange(found);
            if (config is null)
            {
                continue;
            }

            if (domains.TryGetValue(config.Domain, out var firstLine))
            {
                diagnostics.Add(new Diagnostic(Severity.Error, "domain", $"duplicate domain '{config.Domain}' (first at line {firstLine})")
                {
                    Location = document.Locate("domain"),
                });
                continue;
            }

            domains[config.Domain] = document.Locate("domain").Line;
            configs.Add(config);
        }

        return new RlsConfigParseResult(configs, diagnostics);
    }

    /// <summary>Reads text that must hold exactly one valid domain; throws <see cref="ManifestException"/> with every error otherwise.</summary>
    public static RlsConfig Read(string text, string? file = null)
    {
        var result = Parse(text, file);
        if (result.HasErrors)
        {
            throw new ManifestException(result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList());
        }

        if (result.Configs.Count != 1)
        {
            throw new ManifestException(new Diagnostic(Severity.Error, string.Empty, $"expected exactly one RLS config document, found {result.Configs.Count}")
            {
                Location = new SourceLocation(file, 1, 1),
            });
        }

        return result.Configs[0];
    }

    /// <summary>The config as JSON in the YAML's shape (snake_case keys, defaults left out).</summary>
    public static JsonObject ToJson(RlsConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return RlsConfigYamlWriter.ToJson(config);
    }

    /// <summary>Writes one domain as a YAML document (deterministic: same config, same bytes).</summary>
    public static string Write(RlsConfig config) => YamlWriter.Write(ToJson(config));

    /// <summary>Writes several domains as one multi-document stream, in the given order.</summary>
    public static string WriteAll(IEnumerable<RlsConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var sb = new StringBuilder();
        YamlWriter.WriteDocuments(sb, configs.Select(c => (JsonNode?)ToJson(c)));
        return sb.ToString();
    }
}
