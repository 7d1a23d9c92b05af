using Grpc.Core;
using MeshFunctions.TestKit.Functions.Host.Rpc;

namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>
/// The host's gRPC service <c>AzureFunctionsRpcMessages.FunctionRpc</c>; the worker dials it at start, and a restarted
/// worker dials it again (its stream goes to the channel of the current worker process).
/// </summary>
internal sealed class FunctionRpcService(WorkerChannelSlot slot) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        slot.Current.RunAsync(requestStream, responseStream, context);
}
