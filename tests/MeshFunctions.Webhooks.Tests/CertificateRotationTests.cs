using System.Collections.Concurrent;
using System.Text;
using MeshFunctions.Webhooks.Tests.Infrastructure;

namespace MeshFunctions.Webhooks.Tests;

/// <summary>Alone in its collection: other test classes' hosts share this process's thread pool, and starving it is not rotation.</summary>
[Collection(nameof(CertificateRotationTests))]
public sealed class CertificateRotationTests
{
    [Fact]
    public async Task Rotate_FilesReplacedUnderLoad_NoFailedRequestAndNewCertificateServed()
    {
        // The per-request deadline (2 s by default) also covers reading the body: on a starved machine (load 60) a request
        // could be answered 408 while its body is still being sent, which the client sees as a reset. That is the
        // deadline's own behaviour (FailurePathTests); here the longest deadline keeps it out of the rotation's result.
        // Likewise the TLS handshake timeout: with TLS 1.3 the client sends its request before the server has finished
        // the handshake, so a server that drops a starved handshake after 10 s looks to the client like a response
        // that ended prematurely (seen once at load 45).
        await using var host = await WebhookHost.StartAsync(s =>
        {
            s["Webhooks:CertificatePollInterval"] = "00:00:00.100";
            s["Webhooks:RequestDeadline"] = "00:00:25";
            s["Webhooks:TlsHandshakeTimeout"] = "00:02:00";
        });
        var seen = new ConcurrentDictionary<string, byte>();
        using var client = new HttpClient(host.Certificates.Handler(serial => seen[serial] = 0)) { BaseAddress = host.BaseAddress };
        var body = Reviews.For("CREATE", Objects.Deployment("a", "prod", "enabled")).ToJsonString();
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        using var stop = new CancellationTokenSource();
        async Task Drive()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // Connection: close makes every request a new TLS handshake, so each sees the certificate of the moment.
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/mutate") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request);
                    if (!response.IsSuccessStatusCode)
                    {
                        failures.Enqueue(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue($"after {Volatile.Read(ref answered)} answers: {ex.Message} / {ex.InnerException?.Message} / {ex.InnerException?.InnerException?.Message}");
                }
            }
        }

        var drivers = Enumerable.Range(0, 4).Select(_ => Task.Run(Drive)).ToList();
        var rotated = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var before = Volatile.Read(ref answered);
            var serial = host.Certificates.WriteServing(host.CertificateDirectory, $"rotation-{i}.meshfunctions.svc");
            rotated.Add(serial);
            try
            {
                await WebhookHost.WaitUntilAsync(() => seen.ContainsKey(serial) && Volatile.Read(ref answered) > before + 20, $"certificate {i} in use");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} (served: {seen.ContainsKey(serial)}, answers since: {Volatile.Read(ref answered) - before}, failures: {string.Join(" | ", failures.Take(3))})", e);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(drivers);

        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.All(rotated, serial => Assert.True(seen.ContainsKey(serial)));
    }
}
