namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>An invocation the worker answered with Failure or Cancelled (or never answered): the error as it reported it.</summary>
/// <param name="status"><c>Failure</c>, <c>Cancelled</c>, or <c>NoResponse</c>.</param>
/// <param name="exceptionType">The exception's type in the worker, e.g. <c>System.Text.Json.JsonException</c>.</param>
/// <param name="message">The exception's message.</param>
public sealed class WorkerInvocationException(string status, string? exceptionType, string message)
    : Exception($"{status}: {exceptionType}: {message}")
{
    /// <summary><c>Failure</c>, <c>Cancelled</c>, or <c>NoResponse</c> (the worker died or the invocation timed out).</summary>
    public string Status { get; } = status;

    /// <summary>The exception's type in the worker.</summary>
    public string? ExceptionType { get; } = exceptionType;
}
