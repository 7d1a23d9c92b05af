using System.Text;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Functions.Reconciliation;

/// <summary>
/// What every queue function does around its handler: hand it the message body, and on the last attempt
/// (<see cref="ReconcilerOptions.MaxDequeueCount"/>) let the Router say why before the host moves the message to poison.
/// </summary>
internal sealed class EventRunner(FailureReporter failures, IOptions<ReconcilerOptions> options)
{
    public async Task RunAsync(string queue, string message, long dequeueCount, Func<ReadOnlyMemory<byte>, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        try
        {
            await handler(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (dequeueCount >= options.Value.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await failures.ReportAsync(queue, message, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}
