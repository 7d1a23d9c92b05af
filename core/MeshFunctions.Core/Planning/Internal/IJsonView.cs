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

    /// <summary>The member <paramref name="name"/> (a constant name: no transcoding for a parsed document); as <c>this[string]</c>.</summary>
    TSelf this[JsonText name] { get; }

    /// <summary>True when the value is a string equal to <paramref name="text"/> (compared in place, no string made).</summary>
    bool ValueEquals(JsonText text);

    /// <summary>True when the value is a string equal to <paramref name="text"/> (compared in place, no string made).</summary>
    bool ValueEquals(string text);

    /// <summary>The number of members of an object (every member, as <see cref="Members"/> lists them); 0 for anything else.</summary>
    int MemberCount { get; }

    /// <summary>
    /// The first member (in order) whose value is not a string, without listing the members: false when there is none
    /// (or the value is not an object).
    /// </summary>
    bool FindNonStringMember(out string name, out JsonValueKind kind);

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
