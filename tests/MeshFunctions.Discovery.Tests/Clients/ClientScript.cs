using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MeshFunctions.Discovery.Tests.Clients;

/// <summary>Runs a real client program that prints one <c>{"step","value"}</c> JSON object per line.</summary>
public sealed class ClientScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<(string Step, JsonNode? Value)> _lines = Channel.CreateUnbounded<(string, JsonNode?)>();
    private readonly List<string> _stderr = [];

    private ClientScript(Process process) => _process = process;

    public static ClientScript Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("CONSUL_HTTP_ADDR");
        info.Environment.Remove("CONSUL_HTTP_TOKEN");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var script = new ClientScript(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                script._lines.Writer.TryComplete();
                return;
            }

            var node = JsonNode.Parse(e.Data)!;
            script._lines.Writer.TryWrite((node["step"]!.GetValue<string>(), node["value"]?.DeepClone()));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (script._stderr)
                {
                    script._stderr.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return script;
    }

    /// <summary>Reads every line up to and including <paramref name="step"/>.</summary>
    public async Task<Dictionary<string, JsonNode?>> ReadUntilAsync(string step)
    {
        var seen = new Dictionary<string, JsonNode?>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (true)
            {
                var (name, value) = await _lines.Reader.ReadAsync(cts.Token);
                if (name == "error")
                {
                    throw new InvalidOperationException("client failed: " + value + "\n" + Stderr());
                }

                seen[name] = value;
                if (name == step)
                {
                    return seen;
                }
            }
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            throw new InvalidOperationException($"client ended before '{step}' (seen: {string.Join(", ", seen.Keys)}):\n{Stderr()}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return string.Join('\n', _stderr.TakeLast(40));
        }
    }
}
