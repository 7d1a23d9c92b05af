namespace MeshFunctions.Webhooks.Tests;

public sealed class WebhookOptionsValidatorTests
{
    [Theory]
    [InlineData("00:00:00", "Webhooks:TlsHandshakeTimeout")]
    [InlineData("00:10:00", "Webhooks:TlsHandshakeTimeout")]
    public void Validate_TlsHandshakeTimeoutOutOfRange_NamesTheSetting(string value, string expected)
    {
        var options = Valid();
        options.TlsHandshakeTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.True(new WebhookOptionsValidator().Validate(null, Valid()).Succeeded);

    private static WebhookOptions Valid() => new() { PublishEvents = false, ManagedObjects = { ServiceAccountUsername = "system:serviceaccount:meshfunctions:functions" } };
}
