namespace MeshFunctions.Core.Admission.Internal;

/// <summary>What a container's <c>lifecycle.preStop</c> costs at shutdown.</summary>
/// <param name="Declared">False when the container has no preStop hook.</param>
/// <param name="Seconds">The time it waits, when readable; null for httpGet, tcpSocket and scripts without <c>sleep</c>.</param>
/// <param name="Description">A short description for warnings (for example <c>httpGet</c>).</param>
internal readonly record struct PreStop(bool Declared, int? Seconds, string Description)
{
    public static PreStop None { get; } = new(false, null, "none");

    public bool IsUnknown => Declared && Seconds is null;
}
