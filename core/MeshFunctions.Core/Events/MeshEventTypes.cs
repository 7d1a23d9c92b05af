namespace MeshFunctions.Core.Events;

/// <summary>
/// CloudEvents <c>type</c> values. Reverse-DNS and versioned as the CloudEvents spec recommends: a
/// breaking change of a <c>data</c> shape gets a new type, never a silent reinterpretation. Each type's
/// <c>data</c> is described by a JSON Schema in <c>Events/Schemas/</c> (file name = type).
/// </summary>
public static class MeshEventTypes
{
    public const string Deploy = "com.meshfunctions.deploy.v1";
    public const string ConsulService = "com.meshfunctions.consul.service.v1";
    public const string MeshConfig = "com.meshfunctions.meshconfig.v1";
    public const string Dependency = "com.meshfunctions.dependency.v1";
}
