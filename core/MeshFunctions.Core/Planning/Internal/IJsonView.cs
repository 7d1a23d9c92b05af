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

    /// <summary>The member <paramref name="name"/> of an object; absent for a missing member or a value that is not an object.</summary>
    TSelf this[string name] { get; }

    /// <summary>The items of an array in order (linear time whatever the view); empty for anything else.</summary>
    TSelf[] Items();

    /// <summary>The text of a string value; null for anything else.</summary>
    string? String { get; }
}
