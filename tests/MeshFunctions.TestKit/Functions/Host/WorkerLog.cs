using Microsoft.Extensions.Logging;

namespace MeshFunctions.TestKit.Functions.Host;

/// <summary>One <c>RpcLog</c> the worker sent (its own logs and the app's ILogger output).</summary>
/// <param name="InvocationId">The invocation it belongs to; empty outside invocations.</param>
/// <param name="Category">Logger category.</param>
/// <param name="Level">Level (the protocol's levels map one to one).</param>
/// <param name="Message">Formatted message.</param>
/// <param name="Exception">Exception type and message, if one was logged.</param>
public sealed record WorkerLog(string InvocationId, string Category, LogLevel Level, string Message, string? Exception);
