using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshFunctions.Core.Admission.Internal;

namespace MeshFunctions.Core.Tests.Admission.Oracle;

/// <summary>
/// Reads how long a container's <c>preStop</c> hook waits: the Kubernetes <c>sleep</c> action, <c>exec [sleep, N]</c>,
/// or <c>sleep N</c> inside a shell script (<c>sh -c "sleep 30 &amp;&amp; nginx -s quit"</c>; several sleeps add up).
/// Anything else (httpGet, tcpSocket, other programs) has no readable duration.
/// </summary>
internal static partial class TreePreStopReader
{
    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "ash", "dash", "zsh", "busybox" };

    public static PreStop Read(JsonObject container)
    {
        if (container["lifecycle"] is not JsonObject lifecycle || lifecycle["preStop"] is not JsonObject preStop)
        {
            return PreStop.None;
        }

        if (preStop["sleep"] is JsonObject sleep && TreeNav.AsLong(sleep["seconds"]) is { } s && s is >= 0 and < int.MaxValue)
        {
            return new PreStop(true, (int)s, "sleep action");
        }

        if (preStop["exec"] is JsonObject exec && exec["command"] is JsonArray command)
        {
            var args = command.Select(a => a is JsonValue v && v.TryGetValue<string>(out var t) ? t : string.Empty).ToList();
            // The description is only shown for a hook without a readable duration.
            var seconds = ExecSeconds(args);
            return new PreStop(true, seconds, seconds is null ? "exec " + Describe(args) : "exec");
        }

        var kind = preStop.Select(p => p.Key).FirstOrDefault() ?? "empty";
        return new PreStop(true, null, kind);
    }

    /// <summary>The preStop for a proxy sleeping <paramref name="seconds"/>.</summary>
    public static JsonObject SleepHook(int seconds, bool useSleepAction) => useSleepAction
        ? new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = seconds } }
        : new JsonObject { ["exec"] = new JsonObject { ["command"] = new JsonArray("sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };

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
