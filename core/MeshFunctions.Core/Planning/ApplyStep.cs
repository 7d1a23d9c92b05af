using System.Text.Json.Nodes;
using MeshFunctions.Core.Planning.Internal;

namespace MeshFunctions.Core.Planning;

/// <summary>Create or update <see cref="Object"/> (the whole desired object; server-side apply suits it).</summary>
public sealed record ApplyStep(JsonObject Object, string Reason) : PlanStep(Reason)
{
    /// <summary><c>apply Kind ns/name: reason</c>.</summary>
    public override string ToString() => $"apply {ObjectKey.Of(Object)}: {Reason}";
}
