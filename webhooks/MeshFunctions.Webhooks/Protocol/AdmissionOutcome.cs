using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>A webhook's answer before it is written as an AdmissionReview response.</summary>
internal sealed record AdmissionOutcome
{
    public required bool Allowed { get; init; }

    /// <summary>For denials: the message a person can act on.</summary>
    public string? Message { get; init; }

    /// <summary>For denials: the HTTP code the API server shows (403 policy, 422 invalid object, 400 unreadable object).</summary>
    public int Code { get; init; } = 200;

    /// <summary>JSON patch for mutating webhooks; must stay empty for validating ones.</summary>
    public IReadOnlyList<JsonPatchOperation> Patch { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyDictionary<string, string> AuditAnnotations { get; init; } = new Dictionary<string, string>();

    public static AdmissionOutcome Allow(IReadOnlyList<string>? warnings = null) => new() { Allowed = true, Warnings = warnings ?? [] };

    public static AdmissionOutcome Deny(int code, string message, IReadOnlyList<string>? warnings = null) =>
        new() { Allowed = false, Code = code, Message = message, Warnings = warnings ?? [] };

    /// <summary>A core decision as an outcome (denials are policy: 403).</summary>
    public static AdmissionOutcome From(AdmissionDecision decision) => new()
    {
        Allowed = decision.Allowed,
        Message = decision.Message,
        Code = decision.Allowed ? 200 : 403,
        Warnings = decision.Warnings,
        AuditAnnotations = decision.AuditAnnotations,
    };

    /// <summary>Both answers together: denied when either denies (messages joined), warnings and audit notes from both.</summary>
    public AdmissionOutcome Combine(AdmissionOutcome other)
    {
        var audit = new Dictionary<string, string>(AuditAnnotations);
        foreach (var (k, v) in other.AuditAnnotations)
        {
            audit[k] = v;
        }

        var denials = new[] { this, other }.Where(o => !o.Allowed).ToList();
        return new AdmissionOutcome
        {
            Allowed = denials.Count == 0,
            Message = denials.Count == 0 ? null : string.Join("; ", denials.Select(d => d.Message)),
            Code = denials.Count == 0 ? 200 : denials[0].Code,
            Patch = [.. Patch, .. other.Patch],
            Warnings = [.. Warnings, .. other.Warnings],
            AuditAnnotations = audit,
        };
    }
}
