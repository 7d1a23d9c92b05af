using Grpc.Core;

namespace MeshFunctions.Rls.Limiting;

/// <summary>A call that cannot be answered: bad input (naming the field) or no config loaded.</summary>
internal sealed class RlsRequestException : Exception
{
    public RlsRequestException(StatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public RlsRequestException()
    {
    }

    public RlsRequestException(string message)
        : base(message)
    {
    }

    public RlsRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StatusCode Status { get; } = StatusCode.InvalidArgument;
}
