using System.Collections;

namespace MeshFunctions.Webhooks.Http;

/// <summary>
/// The logging scope of one admission request: <c>uid</c> and <c>webhook</c> as structured state (what a structured
/// logger's scope reads) and <c>uid=… webhook=…</c> as text. One small object per request instead of a dictionary.
/// </summary>
internal sealed class ReviewLogScope(string uid, string webhook) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("uid", uid),
        1 => new("webhook", webhook),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"uid={uid} webhook={webhook}";
}
