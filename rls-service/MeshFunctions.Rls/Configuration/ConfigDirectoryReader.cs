using System.Security.Cryptography;
using System.Text;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.RateLimiting;

namespace MeshFunctions.Rls.Configuration;

/// <summary>
/// Reads every <c>*.yaml</c>/<c>*.yml</c> file directly in a directory with core's strict
/// <see cref="RlsConfigYaml"/> reader (the format the RateLimit renderer writes). Names starting with a dot are
/// skipped: in a Kubernetes ConfigMap mount those are <c>..data</c> and the timestamped folders, whose
/// files would otherwise be read twice (envoyproxy/ratelimit #367, "duplicate domain").
/// </summary>
internal static class ConfigDirectoryReader
{
    /// <summary>Reads the directory; with <paramref name="mergeDomains"/> a domain in several files is merged (MERGE_DOMAIN_CONFIG).</summary>
    public static ConfigLoadResult Read(string directory, bool mergeDomains = false)
    {
        var diagnostics = new List<Diagnostic>();
        var configs = new List<RlsConfig>();
        if (!Directory.Exists(directory))
        {
            diagnostics.Add(Diagnostic.Error(string.Empty, $"config directory '{directory}' does not exist"));
            return new ConfigLoadResult(configs, diagnostics, "missing");
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Where(File.Exists) // a dangling link (a key removed from the ConfigMap) is no file
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var domainFiles = new Dictionary<string, (string File, int Index)>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException ex)
            {
                diagnostics.Add(Diagnostic.Error(string.Empty, $"cannot read {file}: {ex.Message}"));
                continue;
            }
            catch (UnauthorizedAccessException ex)
            {
                diagnostics.Add(Diagnostic.Error(string.Empty, $"cannot read {file}: {ex.Message}"));
                continue;
            }

            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0" + text + "\0"));
            var parsed = RlsConfigYaml.Parse(text, file);
            diagnostics.AddRange(parsed.Diagnostics);
            foreach (var config in parsed.Configs)
            {
                if (domainFiles.TryGetValue(config.Domain, out var first))
                {
                    if (mergeDomains)
                    {
                        configs[first.Index] = Merge(configs[first.Index], config, file, first.File, diagnostics);
                        continue;
                    }

                    diagnostics.Add(Diagnostic.Error("domain", $"duplicate domain '{config.Domain}' (also in {first.File})") with { Location = new SourceLocation(file, 1, 1) });
                    continue;
                }

                domainFiles.Add(config.Domain, (file, configs.Count));
                configs.Add(config);
            }
        }

        return new ConfigLoadResult(configs, diagnostics, Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>The top-level descriptors of both, in file order; one defined in both files is an error (as in the reference).</summary>
    private static RlsConfig Merge(RlsConfig first, RlsConfig second, string file, string firstFile, List<Diagnostic> diagnostics)
    {
        var seen = first.Descriptors.Select(d => (d.Key, d.Value)).ToHashSet();
        foreach (var duplicate in second.Descriptors.Where(d => seen.Contains((d.Key, d.Value))))
        {
            var what = duplicate.Value is null ? duplicate.Key : duplicate.Key + "=" + duplicate.Value;
            diagnostics.Add(Diagnostic.Error("descriptors", $"descriptor '{what}' of domain '{second.Domain}' is also defined in {firstFile}") with { Location = new SourceLocation(file, 1, 1) });
        }

        return first with { Descriptors = [.. first.Descriptors, .. second.Descriptors] };
    }
}
