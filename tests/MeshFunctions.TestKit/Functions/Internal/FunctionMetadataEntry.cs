namespace MeshFunctions.TestKit.Functions.Internal;

/// <summary>One function of functions.metadata.</summary>
internal sealed record FunctionMetadataEntry(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<BindingMetadata> Bindings);
