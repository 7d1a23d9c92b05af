namespace MeshFunctions.Benchmarks.Webhooks;

/// <summary>The pod and VirtualService reviews the load driver of <c>tests/bench/webhooks</c> sends, and DestinationRules for the cache.</summary>
internal static class WebhookInputs
{
    public const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1","labels":{"istio-injection":"enabled","app":"p"}},
         "spec":{"containers":[{"name":"app","image":"x","lifecycle":{"preStop":{"exec":{"command":["sleep","30"]}}}}]}}
        """;

    public const string PodReview = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"0b1c9a4e-bench",
         "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
         "namespace":"ns1","name":"p","operation":"CREATE","userInfo":{"username":"alice"},"object":
        """ + Pod + ""","oldObject":null,"dryRun":false}}""";

    /// <summary>
    /// <see cref="Pod"/> as stored after its mutation: what a reinvocation, or a pod created from a mutated template, brings
    /// (nothing to do: no patch).
    /// </summary>
    public const string MutatedPod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1","labels":{"istio-injection":"enabled","app":"p","sidecar.istio.io/inject":"true"},
         "annotations":{"proxy.istio.io/config":"{\"holdApplicationUntilProxyStarts\":true,\"terminationDrainDuration\":\"5s\"}"}},
         "spec":{"containers":[{"name":"app","image":"x","lifecycle":{"preStop":{"exec":{"command":["sleep","30"]}}}},
          {"name":"istio-proxy","lifecycle":{"postStart":{"exec":{"command":["pilot-agent","wait"]}},"preStop":{"exec":{"command":["sleep","35"]}}}}],
          "terminationGracePeriodSeconds":40}}
        """;

    /// <summary>The review of <see cref="MutatedPod"/> (a CREATE: a pod from a template that was already mutated).</summary>
    public const string MutatedPodReview = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"0b1c9a4e-bench",
         "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
         "namespace":"ns1","name":"p","operation":"CREATE","userInfo":{"username":"alice"},"object":
        """ + MutatedPod + ""","oldObject":null,"dryRun":false}}""";

    public const string VirtualService = """
        {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"vs1","namespace":"ns1"},
         "spec":{"hosts":["svc1.ns1.svc.cluster.local"],"http":[{"route":[
          {"destination":{"host":"svc1.ns1.svc.cluster.local","subset":"v1"},"weight":50},
          {"destination":{"host":"svc1.ns1.svc.cluster.local","subset":"v2"},"weight":50}]}]}}
        """;

    public const string VirtualServiceReview = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"0b1c9a4e-bench",
         "kind":{"group":"networking.istio.io","version":"v1","kind":"VirtualService"},
         "resource":{"group":"networking.istio.io","version":"v1","resource":"virtualservices"},
         "namespace":"ns1","name":"vs1","operation":"UPDATE","userInfo":{"username":"alice"},"object":
        """ + VirtualService + ""","oldObject":""" + VirtualService + ""","dryRun":false}}""";

    public static System.Text.Json.Nodes.JsonObject DestinationRule(int i) => System.Text.Json.Nodes.JsonNode.Parse("""
        {"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"dr#I","namespace":"ns#N"},
         "spec":{"host":"svc#I.ns#N.svc.cluster.local","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}}
        """.Replace("#I", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#N", (i % 200).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();
}
