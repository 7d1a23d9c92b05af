using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Rls.Observability;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Configuration;

/// <summary>
/// Holds the current <see cref="RuleSet"/>. A reload compiles the whole directory and swaps the
/// reference in one write, so a call sees either the old or the new config, never a mix. A failed
/// load keeps the old config and records the errors for logs, metrics and health.
/// </summary>
internal sealed partial class RuleSetStore
{
    private readonly RlsOptions _options;
    private readonly RlsMetrics _metrics;
    private readonly ILogger<RuleSetStore> _logger;
    private readonly Lock _reloadLock = new();
    private volatile RuleSet? _current;
    private string? _fingerprint;

    public RuleSetStore(IOptions<RlsOptions> options, RlsMetrics metrics, ILogger<RuleSetStore> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The config in force; null until a first load succeeds (unless forced to start empty).</summary>
    public RuleSet? Current => _current;

    /// <summary>Errors of the last load; empty when it succeeded.</summary>
    public IReadOnlyList<Diagnostic> LastErrors { get; private set; } = [];

    /// <summary>Increments on every successful swap.</summary>
    public int Generation { get; private set; }

    /// <summary>Reads the directory and swaps the config when it changed; returns true when it is valid.</summary>
    public bool Reload(bool force = false)
    {
        lock (_reloadLock)
        {
            var result = ConfigDirectoryReader.Read(_options.ConfigDirectory, _options.MergeDomainConfig);
            if (!force && result.Fingerprint == _fingerprint)
            {
                return LastErrors.Count == 0;
            }

            _fingerprint = result.Fingerprint;
            foreach (var warning in result.Diagnostics.Where(d => d.Severity == Severity.Warning))
            {
                Log.ConfigWarning(_logger, warning.ToString());
            }

            if (!result.Succeeded)
            {
                LastErrors = [.. result.Diagnostics.Where(d => d.Severity == Severity.Error)];
                _metrics.ConfigLoadError.Inc();
                _metrics.ConfigValid.Set(0);
                Log.ConfigRejected(_logger, _options.ConfigDirectory, string.Join(Environment.NewLine, LastErrors));
                if (_current is null && _options.ForceStartWithoutInitialConfig)
                {
                    _current = RuleSet.Empty;
                }

                return false;
            }

            _current = RuleSetCompiler.Compile(result.Configs, _metrics);
            LastErrors = [];
            Generation++;
            _metrics.ConfigLoadSuccess.Inc();
            _metrics.ConfigValid.Set(1);
            Log.ConfigLoaded(_logger, result.Configs.Count, _options.ConfigDirectory, Generation);
            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded {Count} rate limit domain(s) from {Directory} (generation {Generation})")]
        public static partial void ConfigLoaded(ILogger logger, int count, string directory, int generation);

        [LoggerMessage(2, LogLevel.Error, "Rate limit config in {Directory} rejected; the previous config stays in force:\n{Errors}")]
        public static partial void ConfigRejected(ILogger logger, string directory, string errors);

        [LoggerMessage(3, LogLevel.Warning, "Rate limit config: {Warning}")]
        public static partial void ConfigWarning(ILogger logger, string warning);
    }
}
