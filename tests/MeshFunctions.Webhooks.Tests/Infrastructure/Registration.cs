using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>
/// Stores the real configurations from <c>infra/webhooks/</c> in the API stand-in, with <c>clientConfig.service</c>
/// replaced by the test server's URL (same path) and the test CA as <c>caBundle</c>; everything else as shipped.
/// </summary>
internal static class Registration
{
    public static void RegisterShippedConfigurations(this WebhookHost host)
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "..", "infra", "webhooks"));
        foreach (var file in Directory.GetFiles(root, "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var doc in YamlReader.Read(File.ReadAllText(file), file))
            {
                var config = doc.Root!.AsObject();
                foreach (var webhook in config["webhooks"]!.AsArray().Select(w => w!.AsObject()))
                {
                    var path = (string)webhook["clientConfig"]!["service"]!["path"]!;
                    webhook["clientConfig"] = new JsonObject
                    {
                        ["url"] = new Uri(host.BaseAddress, path).ToString(),
                        ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(host.Certificates.CaPem)),
                    };
                }

                host.Api.Seed(config);
            }
        }
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
