using Microsoft.Extensions.Options;

namespace MeshFunctions.Rls.Configuration;

/// <summary>
/// Loads the config at start and reloads it when the directory changes. Watches the directory itself
/// (not the files), so the kubelet's <c>..data</c> symlink rename is seen; a periodic re-read catches
/// anything the file system events miss. Reloads compare content, so spurious events cost one read.
/// Waits use real time on purpose: a test's fake clock must not stall config reloads.
/// </summary>
internal sealed partial class ConfigWatcher : BackgroundService
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);
    private readonly RuleSetStore _store;
    private readonly RlsOptions _options;
    private readonly ILogger<ConfigWatcher> _logger;
    private readonly SemaphoreSlim _signal = new(0);
    private FileSystemWatcher? _watcher;

    public ConfigWatcher(RuleSetStore store, IOptions<RlsOptions> options, ILogger<ConfigWatcher> logger)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first load happens before the server listens, so no call sees an empty config by accident.
        _store.Reload(force: true);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _signal.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WatchConfig)
        {
            return;
        }

        TryStartWatcher();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(_options.ConfigPollInterval, stoppingToken).ConfigureAwait(false);
                await Task.Delay(Debounce, stoppingToken).ConfigureAwait(false);
                while (_signal.CurrentCount > 0)
                {
                    await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                }

                _watcher ??= TryStartWatcher();
                _store.Reload();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.ReloadFailed(_logger, ex);
            }
        }
    }

    private FileSystemWatcher? TryStartWatcher()
    {
        if (!Directory.Exists(_options.ConfigDirectory))
        {
            return null;
        }

        try
        {
            var watcher = new FileSystemWatcher(_options.ConfigDirectory)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler onChange = (_, _) => _signal.Release();
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (_, _) => _signal.Release();
            watcher.Error += (_, _) => _signal.Release();
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Log.WatcherFailed(_logger, _options.ConfigDirectory, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Cannot watch {Directory}; relying on the periodic re-read")]
        public static partial void WatcherFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(11, LogLevel.Error, "Config reload failed")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
