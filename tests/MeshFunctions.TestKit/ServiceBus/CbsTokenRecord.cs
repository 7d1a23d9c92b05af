namespace MeshFunctions.TestKit.ServiceBus;

/// <summary>A <c>put-token</c> request received on <c>$cbs</c> and how it was answered.</summary>
/// <param name="Audience">The <c>name</c> application property (the resource the token is for).</param>
/// <param name="TokenType">The <c>type</c> application property, e.g. <c>servicebus.windows.net:sastoken</c>.</param>
/// <param name="StatusCode">The <c>status-code</c> answered: 200, 400 (malformed) or 401 (bad signature, unknown key, expired).</param>
/// <param name="Description">The <c>status-description</c> answered.</param>
public sealed record CbsTokenRecord(string Audience, string TokenType, int StatusCode, string Description);
