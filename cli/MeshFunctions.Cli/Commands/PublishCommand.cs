using System.CommandLine;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Queues;
using MeshFunctions.Core.Events;

namespace MeshFunctions.Cli.Commands;

/// <summary><c>meshctl publish</c>: sends one deploy event to the functions' <c>deploy-events</c> queue, as a CI pipeline would.</summary>
internal static class PublishCommand
{
    private static readonly Dictionary<string, DeployAction> Actions = new(StringComparer.Ordinal)
    {
        ["deployed"] = DeployAction.Deployed,
        ["weighted"] = DeployAction.Weighted,
        ["promoted"] = DeployAction.Promoted,
        ["rolled-back"] = DeployAction.RolledBack,
        ["deleted"] = DeployAction.Deleted,
    };

    public static Command Create(CliConsole console, HelpExamples help)
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "The Router's namespace.", Required = true };
        var service = new Option<string>("--service") { Description = "The service (the Router's name).", Required = true };
        var branch = new Option<string>("--branch") { Description = "master or a sandbox branch.", DefaultValueFactory = _ => "master" };
        var action = new Option<string>("--action") { Description = "What happened to the branch.", Required = true, HelpName = string.Join("|", Actions.Keys) };
        action.AcceptOnlyFromAmong([.. Actions.Keys]);
        var version = new Option<string?>("--version") { Description = "The version label value (all actions but weighted and a branch delete)." };
        var weights = new Option<string[]>("--weight") { Description = "version=weight for --action weighted; repeat, weights sum to 100.", HelpName = "version=N", AllowMultipleArgumentsPerToken = false };
        var sequence = new Option<long>("--sequence") { Description = "This service's deploy event number (1, 2, 3, …; the functions apply each once, in order).", Required = true };
        var port = new Option<int?>("--port") { Description = "The service port, used only when the Router does not exist yet." };
        var id = new Option<string?>("--id") { Description = "CloudEvents id (default: a new GUID; resend with the same id to retry)." };
        var connection = new Option<string?>("--connection") { Description = "Storage connection string (default: $AzureWebJobsStorage)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the CloudEvent instead of sending it." };
        var command = new Command("publish", "Send a deploy event (CloudEvents 1.0, structured JSON) to the deploy-events queue, as CI does.");
        help.Add(command, """
            The message is base64 encoded, as the functions' queue trigger expects. Exit 2 on a wrong command line, 1 when
            sending fails.

              meshctl publish -n shop --service checkout --action deployed --version v2 --sequence 7
              meshctl publish -n shop --service checkout --action weighted --weight v1=90 --weight v2=10 --sequence 8
              meshctl publish -n shop --service checkout --action promoted --version v2 --sequence 9 --dry-run
            """);
        foreach (var option in new Option[] { ns, service, branch, action, version, weights, sequence, port, id, connection, dryRun })
        {
            command.Add(option);
        }

        command.SetAction(result =>
        {
            DeployEvent deploy;
            try
            {
                deploy = new DeployEvent(
                    result.GetValue(ns)!,
                    result.GetValue(service)!,
                    result.GetValue(branch)!,
                    Actions[result.GetValue(action)!],
                    result.GetValue(version),
                    ParseWeights(result.GetValue(weights) ?? []),
                    result.GetValue(sequence),
                    result.GetValue(port));
                Check(deploy);
            }
            catch (UsageException ex)
            {
                console.Error.WriteLine("meshctl publish: " + ex.Message);
                return ExitCodes.Usage;
            }

            var meshEvent = new MeshEvent<DeployEvent>(
                result.GetValue(id) ?? Guid.NewGuid().ToString("N"),
                new Uri("/meshctl/publish", UriKind.Relative),
                MeshEventTypes.Deploy,
                DateTimeOffset.UtcNow,
                deploy.Namespace + "/" + deploy.Service,
                deploy);
            var body = MeshEventCodec.Encode(meshEvent);
            if (result.GetValue(dryRun))
            {
                console.Out.WriteLine(Encoding.UTF8.GetString(body));
                return ExitCodes.Ok;
            }

            var connectionString = result.GetValue(connection) ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage");
            if (string.IsNullOrEmpty(connectionString))
            {
                console.Error.WriteLine("meshctl publish: no storage connection: pass --connection or set AzureWebJobsStorage");
                return ExitCodes.Usage;
            }

            try
            {
                // Base64: the Functions queue trigger decodes it (host.json messageEncoding). 2026-06-06 suits Azurite too.
                var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
                var queue = new QueueClient(connectionString, MeshEventQueues.DeployEvents, options);
                queue.SendMessage(BinaryData.FromBytes(body));
            }
            catch (Exception ex) when (ex is RequestFailedException or FormatException or ArgumentException or InvalidOperationException or AggregateException)
            {
                console.Error.WriteLine($"meshctl publish: sending to {MeshEventQueues.DeployEvents} failed: {ex.Message.Split('\n')[0]}");
                return ExitCodes.InputErrors;
            }

            console.Error.WriteLine($"meshctl publish: sent {meshEvent.Id} ({deploy.Action} {deploy.Namespace}/{deploy.Service} branch {deploy.Branch}, sequence {deploy.Sequence.ToString(CultureInfo.InvariantCulture)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Dictionary<string, int>? ParseWeights(string[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(value.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || !weights.TryAdd(value[..eq], weight))
            {
                throw new UsageException($"--weight '{value}': expected version=N with N a whole number, each version once");
            }
        }

        return weights;
    }

    private static void Check(DeployEvent deploy)
    {
        if (deploy.Sequence < 1)
        {
            throw new UsageException($"--sequence must be 1 or more, got {deploy.Sequence}");
        }

        if (deploy.Action == DeployAction.Weighted && deploy.Weights is null)
        {
            throw new UsageException("--action weighted needs --weight version=N (repeat it)");
        }

        if (deploy.Action is DeployAction.Deployed or DeployAction.Promoted or DeployAction.RolledBack && string.IsNullOrEmpty(deploy.Version))
        {
            throw new UsageException($"--action {deploy.Action.ToString().ToLowerInvariant()} needs --version");
        }
    }
}
