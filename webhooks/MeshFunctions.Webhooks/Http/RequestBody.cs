using System.IO.Pipelines;
using MeshFunctions.Webhooks.Protocol;

namespace MeshFunctions.Webhooks.Http;

/// <summary>
/// A whole request body read from the request pipe. When it is one contiguous segment (the usual AdmissionReview: one
/// HTTP/2 DATA frame, or a few kilobytes of HTTP/1.1) the bytes are the pipe's own, held until <see cref="Release"/>;
/// otherwise they are copied into one pooled buffer. A body already in the pipe when the handler starts is taken without
/// waiting, so the common request registers nothing on its deadline.
/// </summary>
internal readonly struct RequestBody
{
    private readonly PipeReader? _reader;
    private readonly SequencePosition _end;
    private readonly ArrayPoolBufferWriter? _copy;

    private RequestBody(ReadOnlyMemory<byte> bytes, PipeReader? reader, SequencePosition end, ArrayPoolBufferWriter? copy)
    {
        Bytes = bytes;
        _reader = reader;
        _end = end;
        _copy = copy;
    }

    /// <summary>The body; valid until <see cref="Release"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body was over the limit; it was read to its end and dropped.</summary>
    public bool TooLarge { get; private init; }

    /// <summary>
    /// Reads the body to its end, or to just past <paramref name="limit"/> bytes and then drains the rest (so the client
    /// sees an answer instead of a reset while it is still sending). <paramref name="deadline"/> bounds every wait.
    /// </summary>
    public static async ValueTask<RequestBody> ReadAsync(PipeReader reader, long limit, CancellationToken deadline)
    {
        var waited = false;
        while (true)
        {
            // TryRead only first: after the reader has examined everything, TryRead would hand the same bytes back at once.
            if (waited || !reader.TryRead(out var result))
            {
                result = await reader.ReadAsync(deadline).ConfigureAwait(false);
            }

            waited = true;
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                while (!result.IsCompleted)
                {
                    result = await reader.ReadAsync(deadline).ConfigureAwait(false);
                    reader.AdvanceTo(result.Buffer.End);
                }

                return new RequestBody(default, null, default, null) { TooLarge = true };
            }

            if (result.IsCompleted)
            {
                if (buffer.IsSingleSegment)
                {
                    return new RequestBody(buffer.First, reader, buffer.End, null);
                }

                var copy = new ArrayPoolBufferWriter((int)buffer.Length);
                foreach (var segment in buffer)
                {
                    copy.Write(segment.Span);
                }

                reader.AdvanceTo(buffer.End);
                return new RequestBody(copy.WrittenMemory, null, default, copy);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Gives the bytes back: to the request pipe (consumed) or to the pool.</summary>
    public void Release()
    {
        _reader?.AdvanceTo(_end);
        _copy?.Dispose();
    }
}
