namespace MeshFunctions.Core.Events;

/// <summary>A decoded CloudEvent with typed <c>data</c>.</summary>
/// <typeparam name="T">The data record of <see cref="Type"/>.</typeparam>
/// <param name="Id">CloudEvents <c>id</c>: with <see cref="Source"/> it identifies the event (duplicates share it).</param>
/// <param name="Source">CloudEvents <c>source</c>: the producer, e.g. <c>/discovery/replica-1</c>.</param>
/// <param name="Type">CloudEvents <c>type</c>, one of <see cref="MeshEventTypes"/>.</param>
/// <param name="Time">CloudEvents <c>time</c>: when the producer saw the change.</param>
/// <param name="Subject">CloudEvents <c>subject</c>: the object the event is about, e.g. <c>shop/checkout</c>.</param>
/// <param name="Data">The typed payload.</param>
public sealed record MeshEvent<T>(string Id, Uri Source, string Type, DateTimeOffset Time, string? Subject, T Data);
