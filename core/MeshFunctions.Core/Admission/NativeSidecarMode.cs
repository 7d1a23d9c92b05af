namespace MeshFunctions.Core.Admission;

/// <summary>Which shape the injected proxy takes (Istio's <c>ENABLE_NATIVE_SIDECARS</c>, default <c>auto</c> since 1.27).</summary>
public enum NativeSidecarMode
{
    /// <summary>
    /// Follow the pod: an <c>istio-proxy</c> init container with <c>restartPolicy: Always</c>, or the
    /// annotation <c>sidecar.istio.io/nativeSidecar: "true"</c>, means native; anything else means a regular container.
    /// </summary>
    Auto,

    /// <summary>Always native (and pin it with the <c>sidecar.istio.io/nativeSidecar</c> annotation unless the pod says otherwise).</summary>
    Enabled,

    /// <summary>Always a regular container (pinned the same way) unless the pod already declares the native shape.</summary>
    Disabled,
}
