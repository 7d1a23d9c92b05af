using MeshFunctions.Core.Diagnostics;

namespace MeshFunctions.Core.Resources;

/// <summary>A MeshFunctions custom resource (Router, IstioFilter, RateLimit).</summary>
public interface IMeshResource
{
    string ApiVersion { get; }

    string Kind { get; }

    ObjectMeta Metadata { get; }

    /// <summary>Semantic checks beyond shape (weights, names, regexes); paths are relative to the object root.</summary>
    IEnumerable<Diagnostic> Validate();
}
