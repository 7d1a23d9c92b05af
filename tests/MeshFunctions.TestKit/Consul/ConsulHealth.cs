namespace MeshFunctions.TestKit.Consul;

/// <summary>The check statuses Consul reports.</summary>
public static class ConsulHealth
{
    /// <summary>Check passes.</summary>
    public const string Passing = "passing";

    /// <summary>Check warns: the instance stays in DNS but <c>?passing</c> hides it.</summary>
    public const string Warning = "warning";

    /// <summary>Check fails.</summary>
    public const string Critical = "critical";

    internal static bool IsValid(string status) => status is Passing or Warning or Critical;
}
