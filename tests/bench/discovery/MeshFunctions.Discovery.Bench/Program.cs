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
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
var pause = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
(double User, double System) CpuSeconds() => WatchBench.CpuSeconds(server.Id);

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

if (rounds == 0)
{
    // Rounds 0: the watcher part alone (memory and wake), no lookup rows, no DNS.
    await new WatchBench(server, baseUri, consul).RunAsync(watchers, pause, Client);
    await server.StandardInput.WriteLineAsync();
    await server.WaitForExitAsync();
    return;
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

// 10,000 blocking watchers, one change (WatchBench).
await new WatchBench(server, baseUri, consul).RunAsync(watchers, pause, Client);
await server.StandardInput.WriteLineAsync();
await server.WaitForExitAsync();
