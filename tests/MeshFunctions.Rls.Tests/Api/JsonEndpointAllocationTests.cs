using System.Net;
using System.Text;
using MeshFunctions.Rls.Tests.Infrastructure;

namespace MeshFunctions.Rls.Tests.Api;

/// <summary>POST /json allocates about the body it receives, not Rls:MaxRequestBytes per call.</summary>
public sealed class JsonEndpointAllocationTests
{
    [Fact]
    public async Task Json_SmallBodiesWithLargeLimit_NoPerCallLimitSizedAllocation()
    {
        using var config = new ConfigMapDirectory(FeatureConfig.Files);
        await using var host = await RlsHost.StartAsync(config.Path, new Dictionary<string, string?> { ["Rls:MaxRequestBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        const string Body = """{"domain":"features","descriptors":[{"entries":[{"key":"detailed","value":"json"}]}]}""";
        using (var first = await host.Http.PostAsync("/json", new StringContent(Body, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        const int Calls = 50;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            using var response = await host.Http.PostAsync("/json", new StringContent(Body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / Calls;

        // A buffer sized by the limit would be 32 MiB per call (16 Mi chars); the whole process, other tests
        // included, allocates far less than that per call here.
        Assert.True(perCall < 4 * 1024 * 1024, $"{perCall} bytes allocated per /json call");
    }
}
