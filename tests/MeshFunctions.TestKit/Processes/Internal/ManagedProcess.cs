using System.Diagnostics;
using System.Text;

namespace MeshFunctions.TestKit.Processes.Internal;

/// <summary>A child process whose output is kept (last 8 KB) for error messages, killed with its whole tree.</summary>
internal sealed class ManagedProcess : IDisposable
{
    private const string Watchdog =
        "parent=$1; shift; \"$@\" & child=$!; " +
        "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; " +
        "kill -9 \"$child\" 2>/dev/null; wait \"$child\"";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ManagedProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.HasExited ? _process.ExitCode : 0;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> under a small shell watchdog that kills it when this test process
    /// goes away (crash, kill, or a host that skips ProcessExit), so no orphan keeps a port.
    /// </summary>
    public static ManagedProcess Start(
        string fileName, IEnumerable<string> arguments, string name, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Watchdog);
        info.ArgumentList.Add("watchdog");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, name);
        process.OutputDataReceived += (_, e) => managed.Append(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to every process started under the watchdog (the program, and its own
    /// children such as node behind an npm shim), not to the watchdog itself, which keeps watching.
    /// </summary>
    public void Signal(int signal)
    {
        // The watchdog's short-lived `sleep` may exit between the scan and the signal; that is fine.
        var signalled = Descendants(_process.Id).Count(pid => PosixSignals.Send(pid, signal));
        if (signalled == 0)
        {
            throw new InvalidOperationException($"{Name} has no running process to signal");
        }
    }

    /// <summary>Child processes of <paramref name="root"/>, recursively, from <c>/proc/*/stat</c>.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces or ')', so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                (parents.TryGetValue(ppid, out var children) ? children : parents[ppid] = []).Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        var result = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in parents.GetValueOrDefault(parent) ?? [])
            {
                result.Add(child);
                pending.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>Waits until the process (and so the program under the watchdog) has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGKILL to the process and its children (a node shim starts node), then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 8192)
            {
                _output.Remove(0, _output.Length - 8192);
            }
        }
    }
}
