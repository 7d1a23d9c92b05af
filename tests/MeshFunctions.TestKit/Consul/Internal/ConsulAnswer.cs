namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>What an endpoint answers; a non-null <see cref="Index"/> makes the handler add Consul's query meta headers.</summary>
internal sealed record ConsulAnswer(int Status, byte[]? Body, string? ContentType, ulong? Index)
{
    public const string Json = "application/json";

    public const string Text = "text/plain; charset=utf-8";

    public static ConsulAnswer Error(int status, string message) => new(status, System.Text.Encoding.UTF8.GetBytes(message), Text, null);
}
