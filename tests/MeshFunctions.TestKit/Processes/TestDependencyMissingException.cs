namespace MeshFunctions.TestKit.Processes;

/// <summary>
/// A local server a test needs (Redis, Azurite) is not installed or not reachable. Tests let it fail
/// the test rather than skip: CI installs both (eng/test.sh), so a missing one is a broken setup.
/// </summary>
public sealed class TestDependencyMissingException(string message) : Exception(message);
