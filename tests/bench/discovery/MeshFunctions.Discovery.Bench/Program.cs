using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using MeshFunctions.Discovery.Bench;
using MeshFunctions.TestKit.Consul;
using MeshFunctions.TestKit.Kubernetes;

// Load driver for Discovery (tests/bench/README.md, section "discovery"). Runs the Consul and Kubernetes stand-ins
// itself and starts Discovery in a child process (so its memory is Discovery's alone), then: HTTP throughput of catalog/health lookups vs the empty handler on the
// same stack (interleaved rounds), DNS queries/s, and 10,000 concurrent blocking watchers woken by one upstream change.
if (args is ["--serve", var consulAddress, var kubeconfigPath])
{
    await BenchServer.RunAsync(consulAddress, kubeconfigPath);
    return;
}

await using var consul = await FakeConsul.StartAsync();
await using var kube = await FakeKubernetesApi.StartAsync();
var kubeconfig = BenchServer.Seed(consul, kube);

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var watchers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var self = Environment.GetCommandLineArgs()[0];
var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
if (self.EndsWith(".dll", StringComparison.Ordinal))
{
    start.ArgumentList.Add(self);
}

start.ArgumentList.Add("--serve");
start.ArgumentList.Add(consul.Address.ToString());
start.ArgumentList.Add(kubeconfig);
using var server = Process.Start(start)!;
var ready = (await server.StandardOutput.ReadLineAsync())!.Split(' ');
var httpPort = int.Parse(ready[1], CultureInfo.InvariantCulture);
var dnsPort = int.Parse(ready[2], CultureInfo.InvariantCulture);
var baseUri = new Uri($"http://127.0.0.1:{httpPort}");
Console.WriteLine($"server pid {ready[3]}, http {httpPort}, dns {dnsPort}; load {File.ReadAllText("/proc/loadavg").Trim()}");
await Task.Delay(2000);

HttpClient Client(string source, int connections) => new(new SocketsHttpHandler
{
    MaxConnectionsPerServer = connections,
    ConnectCallback = async (context, ct) =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(context.DnsEndPoint, ct);
        return new NetworkStream(socket, ownsSocket: true);
    },
})
{ BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(12) };

async Task<(double Rate, long Count)> Rate(string source, string path, int? forSeconds = null)
{
    using var client = Client(source, 32);
    (await client.GetAsync(path)).EnsureSuccessStatusCode();
    long count = 0;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(forSeconds ?? seconds));
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
    {
        while (!stop.IsCancellationRequested)
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            await response.Content.ReadAsByteArrayAsync();
            Interlocked.Increment(ref count);
        }
    }));
    return (count / clock.Elapsed.TotalSeconds, count);
}

// Interleaved rounds: the empty handler runs before every row and after the last one, so each row is compared with the
// baseline measured right next to it (the mean of the empty runs on either side); the ratio reported is the median over
// the rounds, and next to it the server's CPU time per request (µs, /proc/<pid>/stat) of the row and of the empty handler.
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
var rows = new (string Name, string Source, string Path)[]
{
    ("catalog/service mesh caller", "127.0.0.2", "/v1/catalog/service/web"),
    ("health/service?passing mesh caller", "127.0.0.2", "/v1/health/service/web?passing=1"),
    ("catalog/service legacy caller", "127.0.0.3", "/v1/catalog/service/web"),
    ("health/service?passing legacy caller", "127.0.0.3", "/v1/health/service/web?passing=1"),
};
var ratios = rows.Select(_ => new List<double>()).ToArray();
var rates = rows.Select(_ => new List<double>()).ToArray();
var cpuPerRequest = rows.Select(_ => new List<double>()).ToArray();
var emptyRates = new List<double>();
var emptyCpu = new List<double>();
async Task<(double Rate, double CpuMicros)> Measure(string source, string path)
{
    var before = CpuSeconds();
    var (rate, count) = await Rate(source, path);
    var after = CpuSeconds();
    return (rate, (after.User + after.System - before.User - before.System) * 1e6 / Math.Max(count, 1));
}

// Warm-up (not recorded): every path once, so no row pays for the JIT of its first requests.
foreach (var path in rows.Select(r => (r.Source, r.Path)).Prepend(("127.0.0.2", "/bench/empty")))
{
    await Rate(path.Item1, path.Item2, 1);
}

var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
for (var round = 0; round < rounds; round++)
{
    var previous = await Measure("127.0.0.2", "/bench/empty");
    emptyRates.Add(previous.Rate);
    emptyCpu.Add(previous.CpuMicros);
    for (var k = 0; k < rows.Length; k++)
    {
        // Rotate the order of the rows from round to round.
        var i = (k + round) % rows.Length;
        var ours = await Measure(rows[i].Source, rows[i].Path);
        var next = await Measure("127.0.0.2", "/bench/empty");
        emptyRates.Add(next.Rate);
        emptyCpu.Add(next.CpuMicros);
        rates[i].Add(ours.Rate);
        cpuPerRequest[i].Add(ours.CpuMicros);
        ratios[i].Add(ours.Rate / ((previous.Rate + next.Rate) / 2));
        previous = next;
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine($"throughput: {rounds} interleaved rounds of {seconds} s rows; load before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| row | median req/s (min–max) | median ratio to the adjacent empty runs (min–max) | server CPU µs/request, median |");
Console.WriteLine($"| empty handler (baseline) | {Median(emptyRates):F0} ({emptyRates.Min():F0}–{emptyRates.Max():F0}) | 1.00 | {Median(emptyCpu):F0} |");
for (var i = 0; i < rows.Length; i++)
{
    Console.WriteLine($"| {rows[i].Name} | {Median(rates[i]):F0} ({rates[i].Min():F0}–{rates[i].Max():F0}) | {Median(ratios[i]):F2} ({ratios[i].Min():F2}–{ratios[i].Max():F2}) | {Median(cpuPerRequest[i]):F0} |");
}

// DNS over UDP with DnsClient, 32 concurrent loops.
var lookup = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, dnsPort)) { UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(5) });
long dnsCount = 0;
using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
{
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
    {
        while (!stop.IsCancellationRequested)
        {
            var answer = await lookup.QueryAsync("web.service.consul", QueryType.A);
            if (answer.Answers.Count > 0)
            {
                Interlocked.Increment(ref dnsCount);
            }
        }
    }));
    Console.WriteLine($"| DNS A web.service.consul (UDP, legacy answer from 127.0.0.1) | {dnsCount / clock.Elapsed.TotalSeconds:F0} queries/s | — |");
}

if (watchers == 0)
{
    // Lookups and DNS only (watchers argument 0).
    await server.StandardInput.WriteLineAsync();
    await server.WaitForExitAsync();
    return;
}

// 10,000 blocking watchers, one change.
long Status(string key) => long.Parse(File.ReadLines($"/proc/{server.Id}/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
long Rss() => Status("VmRSS");
string RssParts() => $"anon {Status("RssAnon")}, file {Status("RssFile")}, shmem {Status("RssShmem")}";

// The server's CPU time (user, system) in seconds, from /proc/<pid>/stat (clock ticks of 10 ms).
(double User, double System) CpuSeconds()
{
    var fields = File.ReadAllText($"/proc/{server.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0);
}
async Task<string> Gc()
{
    using var gc = new HttpClient { BaseAddress = baseUri };
    return await gc.GetStringAsync("/bench/gc");
}

var rssBefore = Rss();
var partsBefore = RssParts();
var gcBefore = await Gc();
using var watchClient = Client("127.0.0.3", watchers + 10);
var first = await watchClient.GetAsync("/v1/health/service/web");
var index = first.Headers.GetValues("X-Consul-Index").Single();
var woke = new double[watchers];
var changedAt = 0L;
var retries = 0;
var tasks = Enumerable.Range(0, watchers).Select(async i =>
{
    // A watcher whose connection the accept queue refused reconnects, as a Consul client's watch loop does.
    while (true)
    {
        try
        {
            using var response = await watchClient.GetAsync($"/v1/health/service/web?index={index}&wait=5m");
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
using (var metrics = new HttpClient { BaseAddress = baseUri })
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        var text = await metrics.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("discovery_blocked_watchers ", StringComparison.Ordinal));
        if (line is not null && double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture) >= watchers)
        {
            break;
        }

        if (clock.Elapsed > TimeSpan.FromMinutes(6))
        {
            Console.WriteLine($"only {line} after 6 minutes");
            break;
        }

        await Task.Delay(200);
    }

    Console.WriteLine($"{watchers} watchers blocked after {clock.Elapsed.TotalSeconds:F1} s ({retries} reconnects)");
}

var rssWithWatchers = Rss();
var partsWith = RssParts();
var gcWithWatchers = await Gc();
if (args.Length > 2 && args[2] != "0")
{
    // Optional pause with the watchers blocked (e.g. for dotnet-gcdump on the server pid); memory is measured again after it.
    Console.WriteLine($"pausing {args[2]} s with the watchers blocked");
    await Task.Delay(TimeSpan.FromSeconds(int.Parse(args[2], CultureInfo.InvariantCulture)));
    Console.WriteLine($"| after the pause: server RSS {Rss()} MB ({RssParts()}), managed heap / GC committed MB {await Gc()} |");
}

var cpuBefore = CpuSeconds();
var loadAtChange = File.ReadAllText("/proc/loadavg").Trim();
Interlocked.Exchange(ref changedAt, Stopwatch.GetTimestamp());
consul.RegisterService("haproxy-11", "10.0.1.11", "web", ["v1"], 8080, new ConsulCheck(ConsulHealth.Passing));

await Task.WhenAll(tasks);
var cpuAfter = CpuSeconds();
var wakeCpu = (User: cpuAfter.User - cpuBefore.User, System: cpuAfter.System - cpuBefore.System);
Array.Sort(woke);

// Server side: discovery_wake_seconds, the time from the change to each woken watcher's answer written (histogram
// buckets: the percentile is reported as the upper bound of its bucket).
string ServerWake(string text)
{
    var buckets = text.Split('\n')
        .Where(l => l.StartsWith("discovery_wake_seconds_bucket{le=\"", StringComparison.Ordinal))
        .Select(l => (Le: l.Split('"')[1], Count: double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture)))
        .ToList();
    var total = buckets.Count > 0 ? buckets[^1].Count : 0;
    string At(double q) => total == 0 ? "-" : buckets.First(b => b.Count >= q * total).Le;
    return $"{total} answers, p50 ≤ {At(0.5)} s, p99 ≤ {At(0.99)} s, max ≤ {At(1.0)} s";
}

using (var metrics = new HttpClient { BaseAddress = baseUri })
{
    Console.WriteLine($"| server side (discovery_wake_seconds): {ServerWake(await metrics.GetStringAsync("/metrics"))} |");
}

Console.WriteLine($"| server CPU time for the wake: {wakeCpu.User + wakeCpu.System:F2} s (user {wakeCpu.User:F2}, system {wakeCpu.System:F2}) |");
Console.WriteLine($"| RSS parts MB before: {partsBefore}; with watchers: {partsWith} |");
Console.WriteLine($"load at the change: {loadAtChange}");
Console.WriteLine($"| server RSS before watchers | {rssBefore} MB |");
Console.WriteLine($"| server RSS with {watchers} blocked watchers | {rssWithWatchers} MB (+{rssWithWatchers - rssBefore} MB) |");
Console.WriteLine($"| managed heap / GC committed MB: before {gcBefore}, with watchers {gcWithWatchers} |");
Console.WriteLine($"| change → watcher answered: p50 {woke[watchers / 2]:F0} ms, p99 {woke[(int)(watchers * 0.99)]:F0} ms, max {woke[^1]:F0} ms |");
Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
await server.StandardInput.WriteLineAsync();
await server.WaitForExitAsync();
