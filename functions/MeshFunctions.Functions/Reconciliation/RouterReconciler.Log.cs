using Microsoft.Extensions.Logging;

namespace MeshFunctions.Functions.Reconciliation;

internal sealed partial class RouterReconciler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Router {Namespace}/{Name}: {Count} objects in sync")]
        public static partial void InSync(ILogger logger, string @namespace, string name, int count);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Router {Namespace}/{Name}: transition {Transition} phase {Step} applied {Steps} steps (wait follows: {Waits})")]
        public static partial void PhaseApplied(ILogger logger, string @namespace, string name, string transition, long step, int steps, bool waits);

        [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Router {Namespace}/{Name}: transition {Transition} waits until {NotBefore}")]
        public static partial void Waiting(ILogger logger, string @namespace, string name, string transition, DateTimeOffset notBefore);

        [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Router {Namespace}/{Name}: transition {Transition} is running elsewhere; asked it to re-plan")]
        public static partial void HandedOver(ILogger logger, string @namespace, string name, string transition);

        [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Router {Namespace}/{Name}: could not record a failed phase in its status")]
        public static partial void StatusWriteFailed(ILogger logger, string @namespace, string name, Exception exception);
    }
}
