using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MeshFunctions.Webhooks.Tests.Infrastructure;

/// <summary>
/// Applies an RFC 6902 patch with Python's <c>jsonpatch</c> (Debian <c>python3-jsonpatch</c>, installed by eng/test.sh),
/// an implementation nobody on this project wrote. <c>MF_PYTHON</c> names the interpreter (default <c>python3</c>).
/// </summary>
internal static class IndependentJsonPatch
{
    private const string Script = "import sys, json, jsonpatch\n"
        + "d = json.load(sys.stdin)\n"
        + "json.dump(jsonpatch.apply_patch(d['doc'], d['patch']), sys.stdout)\n";

    public static JsonNode Apply(JsonNode document, string patchJson)
    {
        var python = Environment.GetEnvironmentVariable("MF_PYTHON") is { Length: > 0 } p ? p : "python3";
        var start = new ProcessStartInfo(python, ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + python);
        process.StandardInput.Write(new JsonObject { ["doc"] = document.DeepClone(), ["patch"] = JsonNode.Parse(patchJson) }.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python jsonpatch failed (is python3-jsonpatch installed? set MF_PYTHON): {error}");
        return JsonNode.Parse(output)!;
    }
}
