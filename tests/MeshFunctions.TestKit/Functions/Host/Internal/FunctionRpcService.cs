using Grpc.Core;
using MeshFunctions.TestKit.Functions.Host.Rpc;

namespace MeshFunctions.TestKit.Functions.Host.Internal;

/// <summary>The host's gRPC service <c>AzureFunctionsRpcMessages.FunctionRpc</c>; the worker dials it at start.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context);
}
