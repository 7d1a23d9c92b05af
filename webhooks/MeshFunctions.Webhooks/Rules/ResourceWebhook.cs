using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Events;
using MeshFunctions.Core.Resources;
using MeshFunctions.Webhooks.Cache;
using MeshFunctions.Webhooks.Events;
using MeshFunctions.Webhooks.Protocol;
using Microsoft.Extensions.Options;

namespace MeshFunctions.Webhooks.Rules;

/// <summary>
/// <c>/validate/resources</c>: the managed-object guard for every kind it is registered for; Router, IstioFilter and
/// RateLimit validated by core's parser (each finding with its field path); risky gRPC retries on VirtualServices.
/// An admitted, non-dry-run change of a Router, IstioFilter or RateLimit is announced on <c>mesh-config-events</c>.
/// </summary>
internal sealed class ResourceWebhook(ClusterCache cache, RouterCatalog routers, IMeshConfigEventSink events, IOptions<WebhookOptions> options) : IAdmissionWebhook
{
    private static readonly Dictionary<(string Group, string Kind), Type> MeshKinds = new()
    {
        [(Router.Group, Router.KindValue)] = typeof(Router),
        [(IstioFilter.Group, IstioFilter.KindValue)] = typeof(IstioFilter),
        [(RateLimit.Group, RateLimit.KindValue)] = typeof(RateLimit),
    };

    private readonly WebhookOptions _options = options.Value;

    public string Name => "resources";

    public bool Mutating => false;

    public ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation == AdmissionOperation.Connect)
        {
            return ValueTask.FromResult(AdmissionOutcome.Allow());
        }

        var outcome = AdmissionOutcome.From(ManagedObjectGuard.Check(request.Operation, request.OldObject, request.Object, request.Username, _options.ManagedObjects));
        var meshType = MeshKinds.GetValueOrDefault((request.Kind.Group, request.Kind.Kind));
        if (meshType is not null && request.Object is { } obj && request.Operation is AdmissionOperation.Create or AdmissionOperation.Update)
        {
            outcome = outcome.Combine(ValidateMeshResource(request, obj, meshType));
        }
        else if (request.Kind is { Group: "networking.istio.io", Kind: "VirtualService" } && request.Object is { } vs && request.Operation != AdmissionOperation.Delete)
        {
            var services = cache.Services.Current;
            outcome = outcome.Combine(AdmissionOutcome.From(RetryPolicyCheck.Check(vs, routers.Current, services.All, _options.RiskyGrpcRetries, _options.SubsetGuard.ClusterDomain)));
        }

        if (outcome.Allowed && meshType is not null && !request.DryRun)
        {
            var subject = request.Object ?? request.OldObject;
            var generation = subject?["metadata"]?["generation"] is JsonValue g && g.TryGetValue<long>(out var gen) ? gen : (long?)null;
            events.Publish(new MeshConfigEvent(request.Kind.Kind, request.Namespace ?? "default", request.Name ?? string.Empty, request.Operation.ToString().ToUpperInvariant(), generation));
        }

        return ValueTask.FromResult(outcome);
    }

    private static AdmissionOutcome ValidateMeshResource(AdmissionRequest request, JsonObject obj, Type type)
    {
        var diagnostics = new List<Diagnostic>();
        ManifestParser.Bind(obj, type, string.Empty, diagnostics);
        var errors = diagnostics.Where(d => d.Severity == Severity.Error).Select(Describe).ToList();
        var warnings = diagnostics.Where(d => d.Severity == Severity.Warning).Select(Describe).ToList();
        return errors.Count == 0
            ? AdmissionOutcome.Allow(warnings)
            : AdmissionOutcome.Deny(422, $"{request.Subject} is invalid: {string.Join("; ", errors)}", warnings);
    }

    private static string Describe(Diagnostic d) => string.IsNullOrEmpty(d.Path) ? d.Message : $"{d.Path}: {d.Message}";
}
