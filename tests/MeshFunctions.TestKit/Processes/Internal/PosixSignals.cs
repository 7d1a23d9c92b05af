using System.Runtime.InteropServices;

namespace MeshFunctions.TestKit.Processes.Internal;

/// <summary>Sends POSIX signals to a child process (fault tests: freeze and thaw a server). Linux numbering.</summary>
internal static class PosixSignals
{
    /// <summary>Stops the process: it keeps its sockets open but runs no code.</summary>
    public const int Stop = 19;

    /// <summary>Lets a stopped process run again.</summary>
    public const int Continue = 18;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Signals <paramref name="pid"/>; false when it has already exited (ESRCH), throws on other errors.</summary>
    public static bool Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("pausing a server uses Linux signal numbers");
        }

        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
