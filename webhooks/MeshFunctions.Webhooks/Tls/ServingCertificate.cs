using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Tls;

/// <summary>
/// The serving certificate from <c>tls.crt</c>/<c>tls.key</c> (PEM) in <see cref="WebhookOptions.CertificateDirectory"/>,
/// swapped in without a restart when the files change (cert-manager and kubelet replace Secret volumes through a symlink
/// swap, so both a file-system watcher and a poll check the files' contents). Connections already open keep the old
/// certificate; each new TLS handshake gets the current one. A half-written pair (key and certificate that do not
/// match) is ignored and the previous certificate kept until the next change.
/// </summary>
internal sealed partial class ServingCertificate : IDisposable
{
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";

    private readonly string _directory;
    private readonly ILogger<ServingCertificate> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _poll;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private string _fingerprint;

    public ServingCertificate(IOptions<WebhookOptions> options, TimeProvider time, ILogger<ServingCertificate> logger)
    {
        _directory = options.Value.CertificateDirectory;
        _logger = logger;
        (_current, _fingerprint) = Load(_directory) ?? throw new InvalidOperationException(
            $"no usable serving certificate: {Path.Combine(_directory, CertificateFile)} and {Path.Combine(_directory, KeyFile)} must be a matching PEM certificate and key");
        if (Directory.Exists(_directory))
        {
            _watcher = new FileSystemWatcher(_directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
            _watcher.EnableRaisingEvents = true;
        }

        _poll = time.CreateTimer(_ => Reload(), null, options.Value.CertificatePollInterval, options.Value.CertificatePollInterval);
    }

    /// <summary>The certificate for the next handshake.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>How many times a new certificate was taken into use.</summary>
    public int Reloads { get; private set; }

    /// <summary>Re-reads the files; returns true when a new certificate is now served.</summary>
    public bool Reload()
    {
        lock (_gate)
        {
            if (Load(_directory) is not var (cert, fingerprint))
            {
                return false;
            }

            if (fingerprint == _fingerprint)
            {
                cert.Dispose();
                return false;
            }

            // The old certificate is not disposed: handshakes in flight may still hold it.
            Volatile.Write(ref _current, cert);
            _fingerprint = fingerprint;
            Reloads++;
            Log.CertificateReloaded(_logger, cert.Subject, cert.NotAfter);
            return true;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _poll.Dispose();
    }

    private (X509Certificate2, string)? Load(string directory)
    {
        try
        {
            var certPem = File.ReadAllText(Path.Combine(directory, CertificateFile));
            var keyPem = File.ReadAllText(Path.Combine(directory, KeyFile));
            using var pem = X509Certificate2.CreateFromPem(certPem, keyPem);

            // Re-import so SslStream on Linux can use the private key from every thread.
            var cert = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            return (cert, Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(certPem + keyPem))));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            Log.CertificateUnusable(_logger, directory, ex.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Serving certificate reloaded: {Subject}, valid until {NotAfter}")]
        public static partial void CertificateReloaded(ILogger logger, string subject, DateTime notAfter);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Serving certificate in {Directory} is not usable (keeping the current one): {Reason}")]
        public static partial void CertificateUnusable(ILogger logger, string directory, string reason);
    }
}
