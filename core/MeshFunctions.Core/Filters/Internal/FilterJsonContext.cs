using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Filters.Internal;

/// <summary>Source-generated serializers for the Istio-shaped blocks, so patching uses no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FilterRetries))]
[JsonSerializable(typeof(FilterFaultDelay))]
[JsonSerializable(typeof(FilterFaultAbort))]
[JsonSerializable(typeof(FilterPercent))]
[JsonSerializable(typeof(FilterCorsPolicy))]
[JsonSerializable(typeof(FilterTcpSettings))]
[JsonSerializable(typeof(FilterHttpSettings))]
[JsonSerializable(typeof(FilterOutlierDetection))]
[JsonSerializable(typeof(FilterLoadBalancer))]
internal sealed partial class FilterJsonContext : JsonSerializerContext;
