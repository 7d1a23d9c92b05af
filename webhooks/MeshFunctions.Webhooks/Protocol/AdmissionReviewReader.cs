using System.Text.Json;
using MeshFunctions.Core.Admission;
using Captured = MeshFunctions.Webhooks.Protocol.ReviewEnvelope.Captured;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// Reads an <c>admission.k8s.io/v1</c> AdmissionReview strictly, in one pass over its UTF-8 bytes: the whole body is
/// checked as JSON (syntax, <c>maxDepth</c>, no duplicate member names in any object), the envelope fields are captured as
/// the reader passes them, and <c>object</c>/<c>oldObject</c> are kept as bytes, parsed only when a rule reads them. Then
/// every field the rules rely on is checked for presence and JSON type, and a problem names the field
/// (<c>request.object: must be an object, got an array</c>).
/// </summary>
internal static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>String values every review repeats (envelope apiVersion/kind, operations, common groups, versions, kinds, resources).</summary>
    private static readonly (byte[] Utf8, string Text)[] KnownValues = [.. new[]
    {
        ApiVersion, "AdmissionReview", "CREATE", "UPDATE", "DELETE", "CONNECT", "v1", "networking.istio.io", "apps", "batch", "VirtualService",
        "DestinationRule", "Pod", "Deployment", "Namespace", "virtualservices", "destinationrules", "pods", "deployments", "namespaces",
    }.Select(t => (System.Text.Encoding.UTF8.GetBytes(t), t))];

    private enum Level
    {
        Other,
        Review,
        Request,
        Kind,
        Resource,
        UserInfo,
    }

    /// <summary>Reads <paramref name="body"/> (UTF-8 JSON, at most <paramref name="maxDepth"/> levels deep); the objects get their own copies.</summary>
    public static AdmissionRequest Read(ReadOnlySpan<byte> body, int maxDepth) => Read(body, default, maxDepth);

    /// <summary>
    /// Reads <paramref name="body"/> as <see cref="Read(ReadOnlySpan{byte}, int)"/>, but the objects borrow their bytes from
    /// it (no copies): the caller keeps <paramref name="body"/> unchanged until the request is answered, then disposes the
    /// request (which returns its objects' pooled documents) before it returns the body.
    /// </summary>
    public static AdmissionRequest ReadBorrowing(ReadOnlyMemory<byte> body, int maxDepth) => Read(body.Span, body, maxDepth);

    private static AdmissionRequest Read(ReadOnlySpan<byte> body, ReadOnlyMemory<byte> lender, int maxDepth)
    {
        var envelope = default(ReviewEnvelope);
        try
        {
            Scan(body, maxDepth, ref envelope);
        }
        catch (JsonException ex)
        {
            throw new AdmissionReviewException("the body is not valid JSON: " + FirstSentence(ex.Message));
        }

        return Interpret(in envelope, body, lender, maxDepth);
    }

    private static void Scan(ReadOnlySpan<byte> body, int maxDepth, ref ReviewEnvelope envelope)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        var names = MemberNames.Rent();
        if (!reader.Read())
        {
            throw new JsonException("the input does not contain any JSON tokens");
        }

        Value(ref reader, ref envelope.Root, Level.Review, ref envelope, names, body, capture: true);
        if (reader.Read())
        {
            throw new JsonException("more than one JSON value");
        }
    }

    /// <summary>The value the reader is on, read to its end; captured into <paramref name="slot"/>, envelope levels descended into.</summary>
    private static void Value(ref Utf8JsonReader reader, ref Captured slot, Level level, ref ReviewEnvelope envelope, MemberNames names, ReadOnlySpan<byte> body, bool capture)
    {
        slot.Type = reader.TokenType;
        slot.Start = checked((int)reader.TokenStartIndex);
        if (reader.TokenType == JsonTokenType.String && capture)
        {
            slot.Text = Text(ref reader);
        }
        else if (reader.TokenType == JsonTokenType.StartObject && level != Level.Other)
        {
            names.Open();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                names.Add(ref reader, body);
                ref var child = ref Member(ref envelope, level, ref reader, out var childLevel, out var captureChild);
                reader.Read();
                Value(ref reader, ref child, childLevel, ref envelope, names, body, captureChild);
            }

            names.Close();
        }
        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            Skip(ref reader, names, body);
        }

        slot.End = checked((int)reader.BytesConsumed);
    }

    /// <summary>Reads past the object or array the reader is on, checking member names.</summary>
    private static void Skip(ref Utf8JsonReader reader, MemberNames names, ReadOnlySpan<byte> body)
    {
        var depth = reader.CurrentDepth;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            names.Open();
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    names.Add(ref reader, body);
                    break;
                case JsonTokenType.StartObject:
                    names.Open();
                    break;
                case JsonTokenType.EndObject:
                    names.Close();
                    if (reader.CurrentDepth == depth)
                    {
                        return;
                    }

                    break;
                case JsonTokenType.EndArray when reader.CurrentDepth == depth:
                    return;
            }
        }
    }

    /// <summary>Where the member the reader is on is captured (a scratch slot when nothing needs it).</summary>
    private static ref Captured Member(ref ReviewEnvelope e, Level level, ref Utf8JsonReader reader, out Level child, out bool capture)
    {
        child = Level.Other;
        capture = true;
        // The name compared as bytes once (an escaped name, rare, is unescaped first).
        var name = reader.ValueIsEscaped ? Unescaped(ref reader) : reader.ValueSpan;
        switch (level)
        {
            case Level.Review when name.SequenceEqual("apiVersion"u8):
                return ref e.ApiVersion;
            case Level.Review when name.SequenceEqual("kind"u8):
                return ref e.Kind;
            case Level.Review when name.SequenceEqual("request"u8):
                child = Level.Request;
                return ref e.Request;
            case Level.Request:
                switch (name.Length)
                {
                    case 3 when name.SequenceEqual("uid"u8):
                        return ref e.Uid;
                    case 4 when name.SequenceEqual("kind"u8):
                        child = Level.Kind;
                        return ref e.KindObject;
                    case 4 when name.SequenceEqual("name"u8):
                        return ref e.Name;
                    case 6 when name.SequenceEqual("object"u8):
                        return ref e.Object;
                    case 6 when name.SequenceEqual("dryRun"u8):
                        return ref e.DryRun;
                    case 8 when name.SequenceEqual("resource"u8):
                        child = Level.Resource;
                        return ref e.ResourceObject;
                    case 8 when name.SequenceEqual("userInfo"u8):
                        child = Level.UserInfo;
                        return ref e.UserInfo;
                    case 9 when name.SequenceEqual("namespace"u8):
                        return ref e.Namespace;
                    case 9 when name.SequenceEqual("operation"u8):
                        return ref e.Operation;
                    case 9 when name.SequenceEqual("oldObject"u8):
                        return ref e.OldObject;
                    case 11 when name.SequenceEqual("subResource"u8):
                        return ref e.SubResource;
                }

                break;
            case Level.Kind when name.SequenceEqual("group"u8):
                return ref e.KindGroup;
            case Level.Kind when name.SequenceEqual("version"u8):
                return ref e.KindVersion;
            case Level.Kind when name.SequenceEqual("kind"u8):
                return ref e.KindKind;
            case Level.Resource when name.SequenceEqual("resource"u8):
                return ref e.ResourceName;
            case Level.UserInfo when name.SequenceEqual("username"u8):
                return ref e.Username;
        }

        capture = false;
        e.Ignored = default;
        return ref e.Ignored;
    }

    private static byte[] Unescaped(ref Utf8JsonReader reader)
    {
        var buffer = new byte[reader.ValueSpan.Length];
        return buffer[..reader.CopyString(buffer)];
    }

    /// <summary>The string value the reader is on; the values every review repeats are shared strings, not new ones.</summary>
    private static string Text(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var value = reader.ValueSpan;
            foreach (var known in KnownValues)
            {
                if (value.Length == known.Utf8.Length && value.SequenceEqual(known.Utf8))
                {
                    return known.Text;
                }
            }
        }

        return reader.GetString()!;
    }

    private static AdmissionRequest Interpret(in ReviewEnvelope e, ReadOnlySpan<byte> body, ReadOnlyMemory<byte> lender, int maxDepth)
    {
        if (e.Root.Type != JsonTokenType.StartObject)
        {
            throw new AdmissionReviewException($"the body must be a JSON object (an AdmissionReview), got {Describe(e.Root.Type)}");
        }

        var apiVersion = String(e.ApiVersion, "apiVersion");
        var kind = String(e.Kind, "kind");
        if (apiVersion != ApiVersion || kind != "AdmissionReview")
        {
            throw new AdmissionReviewException($"expected apiVersion {ApiVersion} and kind AdmissionReview, got '{apiVersion}' and '{kind}' (configure admissionReviewVersions: [v1])");
        }

        if (e.Request.Type != JsonTokenType.StartObject)
        {
            throw new AdmissionReviewException($"request: must be an object, got {Describe(e.Request.Type)}");
        }

        var uid = String(e.Uid, "request.uid");
        if (string.IsNullOrEmpty(uid))
        {
            throw new AdmissionReviewException("request.uid is required (the response must echo it)");
        }

        try
        {
            return new AdmissionRequest
            {
                Uid = uid,
                Kind = ReadKind(in e),
                Resource = IsObject(e.ResourceObject, "request.resource") ? String(e.ResourceName, "request.resource.resource") ?? string.Empty : string.Empty,
                SubResource = String(e.SubResource, "request.subResource"),
                Name = String(e.Name, "request.name"),
                Namespace = String(e.Namespace, "request.namespace"),
                Operation = ReadOperation(in e),
                Username = IsObject(e.UserInfo, "request.userInfo") ? String(e.Username, "request.userInfo.username") ?? string.Empty : string.Empty,
                ObjectJson = IsObject(e.Object, "request.object") ? Object(e.Object, body, lender, maxDepth) : null,
                OldObjectJson = IsObject(e.OldObject, "request.oldObject") ? Object(e.OldObject, body, lender, maxDepth) : null,
                DryRun = e.DryRun.Type switch
                {
                    JsonTokenType.None or JsonTokenType.Null or JsonTokenType.False => false,
                    JsonTokenType.True => true,
                    var other => throw new AdmissionReviewException($"request.dryRun: must be a boolean, got {Describe(other)}", uid),
                },
            };
        }
        catch (AdmissionReviewException ex) when (ex.Uid is null)
        {
            throw new AdmissionReviewException(ex.Message, uid);
        }
    }

    /// <summary>The captured object: borrowed from <paramref name="lender"/> when there is one, else a copy.</summary>
    private static ReviewObject Object(in Captured member, ReadOnlySpan<byte> body, ReadOnlyMemory<byte> lender, int maxDepth) =>
        lender.IsEmpty
            ? new ReviewObject(body[member.Start..member.End].ToArray(), maxDepth, borrowed: false)
            : new ReviewObject(lender[member.Start..member.End], maxDepth, borrowed: true);

    private static GroupVersionKind ReadKind(in ReviewEnvelope e)
    {
        if (!IsObject(e.KindObject, "request.kind"))
        {
            throw new AdmissionReviewException("request.kind is required");
        }

        var name = String(e.KindKind, "request.kind.kind");
        if (string.IsNullOrEmpty(name))
        {
            throw new AdmissionReviewException("request.kind.kind is required");
        }

        return new GroupVersionKind(String(e.KindGroup, "request.kind.group") ?? string.Empty, String(e.KindVersion, "request.kind.version") ?? string.Empty, name);
    }

    private static AdmissionOperation ReadOperation(in ReviewEnvelope e) => String(e.Operation, "request.operation") switch
    {
        "CREATE" => AdmissionOperation.Create,
        "UPDATE" => AdmissionOperation.Update,
        "DELETE" => AdmissionOperation.Delete,
        "CONNECT" => AdmissionOperation.Connect,
        var other => throw new AdmissionReviewException($"request.operation: must be CREATE, UPDATE, DELETE or CONNECT, got '{other}'"),
    };

    /// <summary>The member's text; null when absent or JSON null; otherwise a problem naming the field.</summary>
    private static string? String(in Captured member, string path) => member.Type switch
    {
        JsonTokenType.None or JsonTokenType.Null => null,
        JsonTokenType.String => member.Text,
        var other => throw new AdmissionReviewException($"{path}: must be a string, got {Describe(other)}"),
    };

    /// <summary>True when the member is an object; false when absent or null; otherwise a problem naming the field.</summary>
    private static bool IsObject(in Captured member, string path) => member.Type switch
    {
        JsonTokenType.None or JsonTokenType.Null => false,
        JsonTokenType.StartObject => true,
        var other => throw new AdmissionReviewException($"{path}: must be an object, got {Describe(other)}"),
    };

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.None or JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "a value",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
