namespace MeshFunctions.Discovery.Events;

/// <summary>Settings of event publishing (section <c>Discovery:Events</c>); the queue connection is the root setting <c>AzureWebJobsStorage</c>.</summary>
public sealed class EventOptions
{
    public const string SectionName = "Discovery:Events";

    /// <summary>Publish <c>consul-events</c> and <c>dependency-events</c> (default true; nothing is sent without <c>AzureWebJobsStorage</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A caller/target pair is published again only after this long (default 1 h): the deduplication window.</summary>
    public TimeSpan DependencyRepeatAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many dependency events per second per replica (default 50); the rest wait for a later answer.</summary>
    public int DependencyEventsPerSecond { get; set; } = 50;

    /// <summary>CloudEvents <c>source</c> of this replica (default <c>/discovery/&lt;machine name&gt;</c>).</summary>
    public string Source { get; set; } = "/discovery/" + Environment.MachineName.ToLowerInvariant();
}
