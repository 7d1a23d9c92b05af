using System.Text.Json;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Writes the AdmissionReview response the API server checks (<c>admissionreview.go</c>): same apiVersion/kind, the
/// request's uid, <c>patchType: JSONPatch</c> with a base64 patch only from mutating webhooks and only when non-empty,
/// warnings of at most 120 characters (at most 4096 in total), and <c>status.code</c>/<c>message</c> on denials.
/// Written straight to a <see cref="Utf8JsonWriter"/>: no response tree, the patch serialised once into a pooled buffer.
/// </summary>
internal static class AdmissionReviewWriter
{
    public const int MaxWarningLength = 120;
    public const int MaxWarningsTotal = 4096;

    public static void Write(Utf8JsonWriter writer, string uid, AdmissionOutcome outcome, bool mutating)
    {
        writer.WriteStartObject();
        writer.WriteString("apiVersion"u8, AdmissionReviewReader.ApiVersion);
        writer.WriteString("kind"u8, "AdmissionReview"u8);
        writer.WriteStartObject("response"u8);
        writer.WriteString("uid"u8, uid);
        writer.WriteBoolean("allowed"u8, outcome.Allowed);
        if (!outcome.Allowed)
        {
            writer.WriteStartObject("status"u8);
            writer.WriteNumber("code"u8, outcome.Code);
            writer.WriteString("message"u8, outcome.Message ?? "denied");
            writer.WriteString("reason"u8, outcome.Code switch { 400 => "BadRequest", 422 => "Invalid", 413 => "RequestEntityTooLarge", 504 => "Timeout", _ => "Forbidden" });
            writer.WriteEndObject();
        }

        if (mutating && outcome.Allowed && outcome.Patch.Count > 0)
        {
            writer.WriteString("patchType"u8, "JSONPatch"u8);
            WritePatch(writer, outcome.Patch);
        }

        if (outcome.Warnings.Count > 0 && Warnings(outcome.Warnings) is { Count: > 0 } warnings)
        {
            writer.WriteStartArray("warnings"u8);
            foreach (var w in warnings)
            {
                writer.WriteStringValue(w);
            }

            writer.WriteEndArray();
        }

        if (outcome.AuditAnnotations.Count > 0)
        {
            writer.WriteStartObject("auditAnnotations"u8);
            foreach (var (key, value) in outcome.AuditAnnotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The length of the allowed answer <see cref="WriteAllowed"/> writes, or 0 when <paramref name="outcome"/> needs
    /// <see cref="Write"/> (denied, a patch, warnings or audit annotations) or <paramref name="uid"/> has a character JSON
    /// would escape (the API server's uids are UUIDs).
    /// </summary>
    public static int AllowedLength(string uid, AdmissionOutcome outcome)
    {
        if (!outcome.Allowed || outcome.Patch.Count > 0 || outcome.Warnings.Count > 0 || outcome.AuditAnnotations.Count > 0 || uid.Length > 256)
        {
            return 0;
        }

        foreach (var c in uid)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':'))
            {
                return 0;
            }
        }

        return AllowedHead.Length + uid.Length + AllowedTail.Length;
    }

    /// <summary>
    /// The allowed answer with no patch, warnings or notes, the same bytes <see cref="Write"/> gives it, from pre-built
    /// parts with the uid spliced in; <paramref name="destination"/> has at least <see cref="AllowedLength"/> bytes.
    /// </summary>
    public static void WriteAllowed(Span<byte> destination, string uid)
    {
        AllowedHead.CopyTo(destination);
        var written = AllowedHead.Length + System.Text.Encoding.ASCII.GetBytes(uid, destination[AllowedHead.Length..]);
        AllowedTail.CopyTo(destination[written..]);
    }

    private static ReadOnlySpan<byte> AllowedHead => "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""u8;

    private static ReadOnlySpan<byte> AllowedTail => "\",\"allowed\":true}}"u8;

    /// <summary>Warnings as the API server passes them on: each ≤ 120 characters (cut with "..."), distinct, ≤ 4096 in total.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<string> warnings)
    {
        var result = new List<string>();
        var total = 0;
        foreach (var raw in warnings.Distinct(StringComparer.Ordinal))
        {
            var w = raw.ReplaceLineEndings(" ").Trim();
            if (w.Length > MaxWarningLength)
            {
                w = w[..(MaxWarningLength - 3)] + "...";
            }

            if (w.Length == 0 || total + w.Length > MaxWarningsTotal)
            {
                continue;
            }

            total += w.Length;
            result.Add(w);
        }

        return result;
    }

    private static void WritePatch(Utf8JsonWriter writer, IReadOnlyList<JsonPatchOperation> patch)
    {
        var buffer = new ArrayPoolBufferWriter();
        try
        {
            using (var patchWriter = new Utf8JsonWriter(buffer))
            {
                JsonPatch.WriteTo(patchWriter, patch);
            }

            writer.WriteBase64String("patch"u8, buffer.WrittenSpan);
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
