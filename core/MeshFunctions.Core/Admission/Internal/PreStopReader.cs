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

    public static PreStop Read<T>(T container)
        where T : struct, IJsonView<T>
    {
        var preStop = container["lifecycle"]["preStop"];
        if (!preStop.IsObject)
        {
            return PreStop.None;
        }

        var sleep = preStop["sleep"];
        if (sleep.IsObject && sleep["seconds"].Integer is { } s && s is >= 0 and < int.MaxValue)
        {
            return new PreStop(true, (int)s, "sleep action");
        }

        var command = preStop["exec"]["command"];
        if (command.Kind == System.Text.Json.JsonValueKind.Array)
        {
            var items = command.Items();
            var args = new List<string>(items.Length);
            foreach (var item in items)
            {
                args.Add(item.String ?? string.Empty);
            }

            // The description is only shown for a hook without a readable duration.
            var seconds = ExecSeconds(args);
            return new PreStop(true, seconds, seconds is null ? "exec " + Describe(args) : "exec");
        }

        var members = preStop.Members();
        return new PreStop(true, null, members.Length > 0 ? members[0].Key : "empty");
    }

    private static int? ExecSeconds(List<string> args)
    {
        if (args.Count == 0)
        {
            return null;
        }

        var program = Path.GetFileName(args[0]);
        if (program == "sleep")
        {
            return args.Count == 2 ? Durations.SleepSeconds(args[1]) : null;
        }

        if (Shells.Contains(program))
        {
            var c = args.IndexOf("-c");
            if (c < 0 || c + 1 >= args.Count)
            {
                return null;
            }

            int? total = null;
            foreach (Match m in ShellSleep().Matches(args[c + 1]))
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

    private static string Describe(List<string> args)
    {
        var text = string.Join(' ', args);
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:/usr)?(?:/bin/)?sleep\s+([^\s;&|)]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ShellSleep();
}
