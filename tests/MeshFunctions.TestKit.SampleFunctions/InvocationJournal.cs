using System.Collections.Concurrent;

namespace MeshFunctions.TestKit.SampleFunctions;

/// <summary>
/// Records every invocation of the sample functions so tests can see what ran, in which order,
/// and with which trigger metadata. Registered as a singleton, like any shared app service.
/// </summary>
public sealed class InvocationJournal
{
    private readonly ConcurrentQueue<JournalEntry> _entries = new();

    /// <summary>Everything recorded so far, in order.</summary>
    public IReadOnlyList<JournalEntry> Entries => [.. _entries];

    /// <summary>Adds one entry.</summary>
    public void Record(JournalEntry entry) => _entries.Enqueue(entry);
}
