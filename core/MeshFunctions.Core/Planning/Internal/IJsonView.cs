using System.Text.Json;

namespace MeshFunctions.Core.Planning.Internal;

/// <summary>
/// A read-only view of one JSON value that reads the same way whatever holds it (a node tree from YAML or a patch, or a
/// parsed document straight from an AdmissionReview's bytes), so that a rule is written once and reads either. Reads of
/// unknown shape never throw: a wrong type reads as absent (an absent view).
/// </summary>
internal interface IJsonView<TSelf>
    where TSelf : struct, IJsonView<TSelf>
{
    /// <summary>True when the value is an object.</summary>
    bool IsObject { get; }

    /// <summary>
    /// The kind of the value: <see cref="JsonValueKind.Undefined"/> for an absent member (or a wrong-typed parent),
    /// <see cref="JsonValueKind.Null"/> for a member present as JSON null.
    /// </summary>
    JsonValueKind Kind { get; }

    /// <summary>The member <paramref name="name"/> of an object; absent for a missing member or a value that is not an object.</summary>
    TSelf this[string name] { get; }

    /// <summary>The items of an array in order (linear time whatever the view); empty for anything else.</summary>
    TSelf[] Items();

    /// <summary>The members of an object in order; empty for anything else.</summary>
    KeyValuePair<string, TSelf>[] Members();

    /// <summary>The text of a string value; null for anything else.</summary>
    string? String { get; }

    /// <summary>
    /// The value of a number that is an integer, whatever its spelling (<c>30</c>, <c>30.0</c>, <c>3e1</c>); null for
    /// anything else (see <see cref="Admission.Internal.JsonNav.AsLong(System.Text.Json.Nodes.JsonNode?)"/>).
    /// </summary>
    long? Integer { get; }
}
