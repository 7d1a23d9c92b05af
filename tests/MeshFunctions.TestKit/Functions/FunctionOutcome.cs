namespace MeshFunctions.TestKit.Functions;

/// <summary>What happened to one delivery of a message (or one timer firing).</summary>
public enum FunctionOutcome
{
    /// <summary>The function returned; the message was deleted.</summary>
    Succeeded,

    /// <summary>The function threw; the message was made visible again for another attempt.</summary>
    Retried,

    /// <summary>The function threw on the last allowed attempt; the message moved to <c>&lt;queue&gt;-poison</c>.</summary>
    Poisoned,

    /// <summary>The message was not valid base64; it moved to <c>&lt;queue&gt;-poison</c> without running the function.</summary>
    Undecodable,
}
