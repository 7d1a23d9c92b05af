namespace MeshFunctions.TestKit.Functions;

/// <summary>
/// The app cannot be hosted as described: functions.metadata is malformed, names a method or queue that does not
/// exist, needs a setting that is missing, or uses a binding the harness does not emulate. The message names the
/// function and the binding.
/// </summary>
public sealed class FunctionsHostException(string message) : Exception(message);
