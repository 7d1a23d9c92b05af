using System.Text.Json;

namespace MeshFunctions.Webhooks.Protocol;

/// <summary>
/// What one pass over an AdmissionReview's bytes captured: for each envelope member the rules or the answer need, its JSON
/// type and (for strings) its value; for <c>request.object</c>/<c>oldObject</c> where their bytes are. Filled by
/// <see cref="AdmissionReviewReader"/> before any field is judged, so a syntax error anywhere in the body wins over a
/// wrong type.
/// </summary>
internal struct ReviewEnvelope
{
    public Captured Root;
    public Captured ApiVersion;
    public Captured Kind;
    public Captured Request;
    public Captured Uid;
    public Captured KindObject;
    public Captured KindGroup;
    public Captured KindVersion;
    public Captured KindKind;
    public Captured ResourceObject;
    public Captured ResourceName;
    public Captured SubResource;
    public Captured Name;
    public Captured Namespace;
    public Captured Operation;
    public Captured UserInfo;
    public Captured Username;
    public Captured Object;
    public Captured OldObject;
    public Captured DryRun;

    /// <summary>Scratch slot for members nothing reads.</summary>
    public Captured Ignored;

    /// <summary>One member: absent when <see cref="Type"/> is <see cref="JsonTokenType.None"/>.</summary>
    internal struct Captured
    {
        public JsonTokenType Type;
        public string? Text;
        public int Start;
        public int End;
    }
}
