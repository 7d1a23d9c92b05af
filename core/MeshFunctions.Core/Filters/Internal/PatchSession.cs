using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// Applies values while tracking which filter owns each field (object + JSON path). Filters run in
/// <see cref="FilterOrder"/>; the last setter wins, and every earlier filter whose value differs from the
/// winner's gets a conflict warning naming the winner and the field.
/// </summary>
internal sealed class PatchSession
{
    private readonly Dictionary<(int Object, string Path), Claim> _claims = [];
    private readonly IReadOnlyList<IstioFilter> _filters;

    public PatchSession(IReadOnlyList<IstioFilter> filters)
    {
        _filters = filters;
    }

    /// <summary>Index (in apply order) of the filter being applied.</summary>
    public int Current { get; set; }

    /// <summary>Sets (or, for a null value, removes) <paramref name="property"/> and records ownership.</summary>
    public void Set(JsonObject parent, string property, JsonNode? value, int objectId, string objectLabel, string path)
    {
        Record(objectId, objectLabel, path, value);
        if (value is null)
        {
            parent.Remove(property);
        }
        else
        {
            parent[property] = value;
        }
    }

    /// <summary>Records that the current filter sets a field to <paramref name="value"/> (the caller applies it).</summary>
    public void Record(int objectId, string objectLabel, string path, JsonNode? value)
    {
        var key = (objectId, path);
        if (!_claims.TryGetValue(key, out var claim))
        {
            _claims[key] = new Claim(objectLabel, Current, value);
            return;
        }

        if (claim.Owner != Current)
        {
            (claim.Earlier ??= []).Add((claim.Owner, claim.Value));
        }

        claim.Owner = Current;
        claim.Value = value;
    }

    /// <summary>
    /// Conflicts per filter index (earlier setters whose value the final owner replaced): the field, who won, and the
    /// warning that says so.
    /// </summary>
    public List<(FilterConflict Conflict, Diagnostic Warning)>[] Conflicts()
    {
        var result = new List<(FilterConflict, Diagnostic)>[_filters.Count];
        foreach (var ((_, path), claim) in _claims)
        {
            if (claim.Earlier is null)
            {
                continue;
            }

            var winner = _filters[claim.Owner];
            var reported = new HashSet<int>();
            foreach (var (loser, value) in claim.Earlier)
            {
                if (loser == claim.Owner || JsonNode.DeepEquals(value, claim.Value) || !reported.Add(loser))
                {
                    continue;
                }

                var d = Diagnostic.Warning(path, $"{claim.Label}: overridden by IstioFilter {winner.Metadata.NamespaceOrDefault}/{winner.Metadata.Name} (priority {winner.Spec.Priority}), which applies later and sets this field too")
                    with { Code = FilterOutcome.ConflictCode };
                (result[loser] ??= []).Add((new FilterConflict(claim.Label, path, winner), d));
            }
        }

        return result;
    }

    private sealed class Claim(string label, int owner, JsonNode? value)
    {
        public string Label { get; } = label;

        public int Owner { get; set; } = owner;

        public JsonNode? Value { get; set; } = value;

        public List<(int Owner, JsonNode? Value)>? Earlier { get; set; }
    }
}
