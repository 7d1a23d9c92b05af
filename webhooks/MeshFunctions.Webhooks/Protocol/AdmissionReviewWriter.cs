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

    // The answer is written by code (no caller-supplied structure), so the writer's structural checks are skipped. The
    // relaxed encoder only changes how characters are escaped (a quote in a patch value is \" instead of \u0022); the API
    // server reads the same values, and the answer is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // What a cached writer points at between requests, so it holds no request's buffer.
    private static readonly System.Buffers.ArrayBufferWriter<byte> Detached = new(1);

    // One answer writer and one patch writer per thread, reset onto each request's buffers (a writer is a few hundred
    // bytes of state; writing never yields, so a thread's writers are never in use twice at once).
    [ThreadStatic]
    private static Utf8JsonWriter? t_answerWriter;

    [ThreadStatic]
    private static Utf8JsonWriter? t_patchWriter;

    /// <summary>Writes the AdmissionReview response for <paramref name="outcome"/> into <paramref name="output"/>.</summary>
    public static void Write(System.Buffers.IBufferWriter<byte> output, string uid, AdmissionOutcome outcome, bool mutating)
    {
        var writer = Rent(ref t_answerWriter, output);
        try
        {
            WriteReview(writer, uid, outcome, mutating);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Detached);
        }
    }

    private static void WriteReview(Utf8JsonWriter writer, string uid, AdmissionOutcome outcome, bool mutating)
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
        var buffer = new ArrayPoolBufferWriter(1024);
        var patchWriter = Rent(ref t_patchWriter, buffer);
        try
        {
            JsonPatch.WriteTo(patchWriter, patch);
            patchWriter.Flush();
            writer.WriteBase64String("patch"u8, buffer.WrittenSpan);
        }
        finally
        {
            patchWriter.Reset(Detached);
            buffer.Dispose();
        }
    }

    private static Utf8JsonWriter Rent(ref Utf8JsonWriter? cached, System.Buffers.IBufferWriter<byte> output)
    {
        if (cached is null)
        {
            cached = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            cached.Reset(output);
        }

        return cached;
    }
}
