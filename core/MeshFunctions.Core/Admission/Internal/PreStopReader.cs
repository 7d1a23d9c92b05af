using System.Text.RegularExpressions;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Admission.Internal;

/// <summary>
/// Reads how long a container's <c>preStop</c> hook waits: the Kubernetes <c>sleep</c> action, <c>exec [sleep, N]</c>,
/// or <c>sleep N</c> inside a shell script (<c>sh -c "sleep 30 &amp;&amp; nginx -s quit"</c>; several sleeps add up).
/// Anything else (httpGet, tcpSocket, other programs) has no readable duration.
/// </summary>
internal static partial class PreStopReader
{
    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "ash", "dash", "zsh", "busybox" };
    private static readonly JsonText ShellCommandFlag = new("-c");

    public static PreStop Read<T>(T container)
        where T : struct, IJsonView<T>
    {
        var preStop = container[PodFields.Lifecycle][PodFields.PreStop];
        if (!preStop.IsObject)
        {
            return PreStop.None;
        }

        var sleep = preStop[PodFields.Sleep];
        if (sleep.IsObject && sleep[PodFields.Seconds].Integer is { } s && s is >= 0 and < int.MaxValue)
        {
            return new PreStop(true, (int)s, "sleep action");
        }

        var command = preStop[PodFields.Exec][PodFields.Command];
        if (command.Kind == System.Text.Json.JsonValueKind.Array)
        {
            // The arguments are read in place; a string is made only for those the rules look into.
            var args = command.Items();
            var seconds = ExecSeconds(args);

            // The description is only shown for a hook without a readable duration.
            return new PreStop(true, seconds, seconds is null ? "exec " + Describe(args) : "exec");
        }

        var members = preStop.Members();
        return new PreStop(true, null, members.Length > 0 ? members[0].Key : "empty");
    }

    /// <summary>The argument at <paramref name="i"/> (a non-string reads as empty).</summary>
    private static string Arg<T>(T[] args, int i)
        where T : struct, IJsonView<T> => args[i].String ?? string.Empty;

    private static int? ExecSeconds<T>(T[] args)
        where T : struct, IJsonView<T>
    {
        if (args.Length == 0)
        {
            return null;
        }

        var program = args[0].ValueEquals(PodFields.Sleep) ? PodFields.Sleep.Text : Path.GetFileName(Arg(args, 0));
        if (program == "sleep")
        {
            return args.Length == 2 ? Durations.SleepSeconds(Arg(args, 1)) : null;
        }

        if (Shells.Contains(program))
        {
            var c = -1;
            for (var i = 0; i < args.Length && c < 0; i++)
            {
                c = args[i].ValueEquals(ShellCommandFlag) ? i : -1;
            }

            if (c < 0 || c + 1 >= args.Length)
            {
                return null;
            }

            int? total = null;
            foreach (Match m in ShellSleep().Matches(Arg(args, c + 1)))
            {
                if (Durations.SleepSeconds(m.Groups[1].Value) is not { } n)
                {
                    return null;
                }

                total = (total ?? 0) + n;
            }

            return total;
        }

        return null;
    }

    private static string Describe<T>(T[] args)
        where T : struct, IJsonView<T>
    {
        var text = string.Join(' ', args.Select(a => a.String ?? string.Empty));
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:/usr)?(?:/bin/)?sleep\s+([^\s;&|)]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ShellSleep();
}
