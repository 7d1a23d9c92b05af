namespace MeshFunctions.TestKit.Tests.Consul;

/// <summary>Answers captured from real Consul servers (shared/reference/consul-api.md §3), used as shape references.</summary>
internal static class CapturedShapes
{
    /// <summary>One element of <c>/v1/catalog/service/:name</c>, Consul CE 1.17.0.</summary>
    public const string CatalogService = """
        [{"ID":"29d8e0f1-8f85-6454-df03-3f7d120e367a","Node":"nginx-01","Address":"10.10.10.39","Datacenter":"dc1",
         "TaggedAddresses":{"lan":"10.10.10.39","lan_ipv4":"10.10.10.39","wan":"10.10.10.39","wan_ipv4":"10.10.10.39"},
         "NodeMeta":{"consul-network-segment":"","consul-version":"1.17.0"},
         "ServiceKind":"","ServiceID":"balancer","ServiceName":"balancer","ServiceTags":["balancer"],"ServiceAddress":"",
         "ServiceTaggedAddresses":{"wan":{"Address":"89.169.168.240","Port":80}},
         "ServiceWeights":{"Passing":1,"Warning":1},"ServiceMeta":{},"ServicePort":80,"ServiceSocketPath":"",
         "ServiceEnableTagOverride":false,"ServiceProxy":{"Mode":"","MeshGateway":{},"Expose":{}},"ServiceConnect":{},
         "ServiceLocality":null,"CreateIndex":37,"ModifyIndex":37}]
        """;

    /// <summary>One element of <c>/v1/health/service/:name</c>, Consul 1.21.3 (as trimmed in the reference).</summary>
    public const string HealthService = """
        [{"Node":{"ID":"e2905f94-53d1-510f-48f3-1f5853a89ff9","Node":"example-consul","Address":"172.16.3.2","Datacenter":"dc1",
           "TaggedAddresses":{"lan":"172.16.3.2","lan_ipv4":"172.16.3.2","wan":"172.16.3.2","wan_ipv4":"172.16.3.2"},
           "Meta":{"consul-network-segment":"","consul-version":"1.21.3"},"CreateIndex":13,"ModifyIndex":14},
         "Service":{"ID":"example_http_service_3000","Service":"example_http_service","Tags":["example"],"Address":"172.16.3.3",
           "TaggedAddresses":{"lan_ipv4":{"Address":"172.16.3.3","Port":3000},"wan_ipv4":{"Address":"172.16.3.3","Port":3000}},
           "Meta":null,"Port":3000,"Weights":{"Passing":1,"Warning":1},"EnableTagOverride":false,
           "Proxy":{"Mode":"","MeshGateway":{},"Expose":{}},"Connect":{},"PeerName":"","CreateIndex":20,"ModifyIndex":20},
         "Checks":[{"Node":"example-consul","CheckID":"serfHealth","Name":"Serf Health Status","Status":"passing","Notes":"",
           "Output":"Agent alive and reachable","ServiceID":"","ServiceName":"","ServiceTags":[],"Type":"","Interval":"","Timeout":"",
           "ExposedPort":0,"Definition":{},"CreateIndex":13,"ModifyIndex":13},
          {"Node":"example-consul","CheckID":"example_http_service_3000_status","Name":"example_http_service health status",
           "Status":"passing","Notes":"","Output":"HTTP GET: 200 OK","ServiceID":"example_http_service_3000",
           "ServiceName":"example_http_service","ServiceTags":["example"],"Type":"http","Interval":"1s","Timeout":"0s",
           "ExposedPort":0,"Definition":{},"CreateIndex":21,"ModifyIndex":240}]}]
        """;

    /// <summary>A KV element from the reference (Session omitted, as when empty).</summary>
    public const string KvEntry = """[{"CreateIndex":100,"ModifyIndex":200,"LockIndex":200,"Key":"zip","Flags":0,"Value":"dGVzdA=="}]""";
}
