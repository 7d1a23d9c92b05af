using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MeshFunctions.TestKit.Consul;

namespace MeshFunctions.Discovery.Bench;

/// <summary>
/// The watcher part of the bench (tests/bench/README.md, discovery, "Memory" and "Wake"): <c>watchers</c> concurrent
/// blocking <c>health/service/web</c> reads, one connection each from the legacy caller 127.0.0.3; the server's memory
/// once all are blocked; then one upstream change and the time until each watcher has its complete new answer.
/// <para>
/// The watchers are plain sockets (<see cref="RawWatcher"/>): each sends one HTTP/1.1 request and reads the response to
/// its last byte — status line, headers, <c>Content-Length</c> bytes of body — and counts it only when the status is
/// 200, the body is a JSON array and it holds the instance the change added. That is the same outcome a Consul
/// client's watch loop acts on, at a fraction of <see cref="HttpClient"/>'s CPU per response, which matters because the
/// driver shares the machine's 2 cores with the server during the wake. <c>MF_BENCH_HTTPCLIENT_WATCHERS=1</c> runs the
/// previous driver (<see cref="HttpClient"/>, one pooled connection per watcher) for comparison.
/// </para>
/// </summary>
internal sealed class WatchBench
{
    private readonly Process _server;
    private readonly Uri _baseUri;
    private readonly FakeConsul _consul;

    public WatchBench(Process server, Uri baseUri, FakeConsul consul)
    {
        _server = server;
        _baseUri = baseUri;
        _consul = consul;
    }

    public async Task RunAsync(int watchers, int pauseSeconds, Func<string, int, HttpClient> client)
    {
        var httpClientDriver = Environment.GetEnvironmentVariable("MF_BENCH_HTTPCLIENT_WATCHERS") == "1";
        var rssBefore = Rss();
        var partsBefore = RssParts();
        var gcBefore = await Gc();
        string index;
        using (var first = client("127.0.0.3", 1))
        {
            using var answer = await first.GetAsync("/v1/health/service/web");
            index = answer.Headers.GetValues("X-Consul-Index").Single();
        }

        var path = $"/v1/health/service/web?index={index}&wait=5m";
        var storm = Stopwatch.StartNew();
        var woke = new double[watchers];
        var changedAt = 0L;
        var retries = 0;
        var failures = 0;
        var open = new System.Collections.Concurrent.ConcurrentBag<RawWatcher>();
        List<Task> tasks;
        HttpClient? watchClient = null;
        if (httpClientDriver)
        {
            watchClient = client("127.0.0.3", watchers + 10);
            tasks = Enumerable.Range(0, watchers).Select(async i =>
            {
                // A watcher whose connection the accept queue refused reconnects, as a Consul client's watch loop does.
                while (true)
                {
                    try
                    {
                        using var response = await watchClient.GetAsync(path);
                        break;
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref retries);
                        await Task.Delay(Random.Shared.Next(100, 1000));
                    }
                }

                woke[i] = Stopwatch.GetElapsedTime(Interlocked.Read(ref changedAt)).TotalMilliseconds;
            }).ToList();
        }
        else
        {
            var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{_baseUri.Port}\r\n\r\n");
            var endpoint = new IPEndPoint(IPAddress.Loopback, _baseUri.Port);
            var source = IPAddress.Parse("127.0.0.3");
            tasks = Enumerable.Range(0, watchers).Select(async i =>
            {
                var watcher = await RawWatcher.ConnectAsync(endpoint, source, request, () => Interlocked.Increment(ref retries));
                open.Add(watcher);
                var ok = await watcher.ReadAnswerAsync("\"haproxy-11\"");
                woke[i] = Stopwatch.GetElapsedTime(Interlocked.Read(ref changedAt)).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }).ToList();
        }

        using (var metrics = new HttpClient { BaseAddress = _baseUri })
        {
            while (true)
            {
                var text = await metrics.GetStringAsync("/metrics");
                var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("discovery_blocked_watchers ", StringComparison.Ordinal));
                if (line is not null && double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture) >= watchers)
                {
                    break;
                }

                if (storm.Elapsed > TimeSpan.FromMinutes(6))
                {
                    Console.WriteLine($"only {line} after 6 minutes");
                    break;
                }

                await Task.Delay(200);
            }

            Console.WriteLine($"{watchers} watchers blocked after {storm.Elapsed.TotalSeconds:F1} s ({retries} reconnects; driver: {(httpClientDriver ? "HttpClient" : "raw sockets")})");
        }

        var rssWithWatchers = Rss();
        var partsWith = RssParts();
        var gcWithWatchers = await Gc();
        if (pauseSeconds > 0)
        {
            // Optional pause with the watchers blocked (e.g. for dotnet-gcdump on the server pid); memory is measured again after it.
            Console.WriteLine($"pausing {pauseSeconds} s with the watchers blocked");
            await Task.Delay(TimeSpan.FromSeconds(pauseSeconds));
            Console.WriteLine($"| after the pause: server RSS {Rss()} MB ({RssParts()}), managed heap / GC committed MB {await Gc()} |");
        }

        var cpuBefore = CpuSeconds(_server.Id);
        var driverBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var loadAtChange = File.ReadAllText("/proc/loadavg").Trim();
        Interlocked.Exchange(ref changedAt, Stopwatch.GetTimestamp());
        _consul.RegisterService("haproxy-11", "10.0.1.11", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));

        await Task.WhenAll(tasks);
        var cpuAfter = CpuSeconds(_server.Id);
        var driverCpu = Process.GetCurrentProcess().TotalProcessorTime - driverBefore;
        if (failures > 0)
        {
            Console.WriteLine($"!! {failures} watchers got no complete 200 answer holding the change");
        }

        // Closed only now, after the wake's CPU time is taken: closing 10,000 connections is no part of the wake.
        foreach (var watcher in open)
        {
            watcher.Dispose();
        }
        var wakeCpu = (User: cpuAfter.User - cpuBefore.User, System: cpuAfter.System - cpuBefore.System);
        Array.Sort(woke);
        using (var metrics = new HttpClient { BaseAddress = _baseUri })
        {
            Console.WriteLine($"| server side (discovery_wake_seconds): {ServerWake(await metrics.GetStringAsync("/metrics"))} |");
        }

        Console.WriteLine($"| server CPU time for the wake: {wakeCpu.User + wakeCpu.System:F2} s (user {wakeCpu.User:F2}, system {wakeCpu.System:F2}); driver CPU {driverCpu.TotalSeconds:F2} s |");
        Console.WriteLine($"| RSS parts MB before: {partsBefore}; with watchers: {partsWith} |");
        Console.WriteLine($"load at the change: {loadAtChange}");
        Console.WriteLine($"| server RSS before watchers | {rssBefore} MB |");
        Console.WriteLine($"| server RSS with {watchers} blocked watchers | {rssWithWatchers} MB (+{rssWithWatchers - rssBefore} MB) |");
        Console.WriteLine($"| managed heap / GC committed MB: before {gcBefore}, with watchers {gcWithWatchers} |");
        Console.WriteLine($"| change → watcher answered: p50 {woke[watchers / 2]:F0} ms, p99 {woke[(int)(watchers * 0.99)]:F0} ms, max {woke[^1]:F0} ms |");
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        watchClient?.Dispose();
    }

    /// <summary>The server's CPU time (user, system) in seconds, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms).</summary>
    public static (double User, double System) CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0);
    }

    /// <summary>Server side: discovery_wake_seconds, the time from the change to each woken watcher's answer written (histogram buckets: a percentile is the upper bound of its bucket).</summary>
    private static string ServerWake(string text)
    {
        var buckets = text.Split('\n')
            .Where(l => l.StartsWith("discovery_wake_seconds_bucket{le=\"", StringComparison.Ordinal))
            .Select(l => (Le: l.Split('"')[1], Count: double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)))
            .ToList();
        var total = buckets.Count > 0 ? buckets[^1].Count : 0;
        string At(double q) => total == 0 ? "-" : buckets.First(b => b.Count >= q * total).Le;
        return $"{total} answers, p50 ≤ {At(0.5)} s, p99 ≤ {At(0.99)} s, max ≤ {At(1.0)} s";
    }

    private long Status(string key) => long.Parse(File.ReadLines($"/proc/{_server.Id}/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private long Rss() => Status("VmRSS");

    private string RssParts() => $"anon {Status("RssAnon")}, file {Status("RssFile")}, shmem {Status("RssShmem")}";

    private async Task<string> Gc()
    {
        using var gc = new HttpClient { BaseAddress = _baseUri };
        return await gc.GetStringAsync("/bench/gc");
    }
}
