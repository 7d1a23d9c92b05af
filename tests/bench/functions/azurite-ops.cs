#:package Azure.Storage.Queues
// What one queue operation costs Azurite's in-memory queue store as the messages stored grow.
// Usage: start Azurite (azurite-queue --queuePort PORT --inMemoryPersistence --skipApiVersionCheck), then
//   dotnet run tests/bench/functions/azurite-ops.cs -- <azurite node pid> <port> 0 1000 3000 6000 10000
// For each size it fills queue "big" to that many messages and reports Azurite's CPU time (from /proc/<pid>/stat) per
// operation: a receive on another, empty queue; a receive of 16; an update; a send; get properties; receive + delete.
using System.Globalization;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

var pid = int.Parse(args[0], CultureInfo.InvariantCulture);
var connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    + $"QueueEndpoint=http://127.0.0.1:{args[1]}/devstoreaccount1;";
var service = new QueueServiceClient(connection, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2021_12_02));
var big = service.GetQueueClient("big");
await big.CreateIfNotExistsAsync();
var empty = service.GetQueueClient("empty");
await empty.CreateIfNotExistsAsync();
var filled = 0;
foreach (var size in args.Skip(2).Select(a => int.Parse(a, CultureInfo.InvariantCulture)))
{
    await Parallel.ForEachAsync(Enumerable.Range(filled, Math.Max(0, size - filled)), new ParallelOptions { MaxDegreeOfParallelism = 16 },
        async (_, token) => await big.SendMessageAsync(new string('x', 400), token));
    filled = Math.Max(filled, size);

    var emptyReceive = await PerOp(50, _ => empty.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(5)));
    var received = new List<QueueMessage>();
    var receive16 = await PerOp(20, async _ => received.AddRange((await big.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(1))).Value));
    var update = await PerOp(Math.Min(100, received.Count), i => big.UpdateMessageAsync(received[i].MessageId, received[i].PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(1)));
    var send = await PerOp(100, _ => big.SendMessageAsync(new string('y', 400), visibilityTimeout: TimeSpan.FromSeconds(1)));
    var properties = await PerOp(50, _ => big.GetPropertiesAsync());
    await Task.Delay(1500);
    var fresh = (await big.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
    var delete = await PerOp(fresh.Length, i => big.DeleteMessageAsync(fresh[i].MessageId, fresh[i].PopReceipt));
    filled += 100 - fresh.Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size} stored: Azurite CPU ms per op: receive (other, empty queue) {emptyReceive:0.0}, receive 16 {receive16:0.0}, update {update:0.0}, send {send:0.0}, get properties {properties:0.0}, delete {delete:0.0}"));
}

async Task<double> PerOp(int count, Func<int, Task> op)
{
    var before = Cpu();
    for (var i = 0; i < count; i++)
    {
        await op(i);
    }

    return count == 0 ? 0 : (Cpu() - before) / count;
}

double Cpu()
{
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000.0 / 100;
}
