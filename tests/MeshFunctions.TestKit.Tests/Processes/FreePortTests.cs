using System.Net;
using System.Net.Sockets;
using MeshFunctions.TestKit.Processes.Internal;

namespace MeshFunctions.TestKit.Tests.Processes;

public sealed class FreePortTests
{
    [Fact]
    public async Task WaitListening_PortTakenByAnotherProcess_NotMistakenForOurs()
    {
        // Someone else holds the port; our process never says it listens, and exits (as a server does on EADDRINUSE).
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        using var ours = ManagedProcess.Start("/bin/sh", ["-c", "echo starting; sleep 1; echo 'address already in use'; exit 3"], "fake-server");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FreePort.WaitListeningAsync(ours, port, TimeSpan.FromMinutes(5), CancellationToken.None, "successfully listens"));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitListening_MarkerPrintedAndPortOpen_Returns()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var ours = ManagedProcess.Start("/bin/sh", ["-c", "echo 'successfully listens'; sleep 300"], "fake-server");

        await FreePort.WaitListeningAsync(ours, port, TimeSpan.FromMinutes(5), CancellationToken.None, "successfully listens");

        Assert.False(ours.HasExited);
    }
}
