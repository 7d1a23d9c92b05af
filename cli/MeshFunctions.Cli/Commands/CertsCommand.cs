using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using MeshFunctions.Core.Diagnostics;
using MeshFunctions.Core.Resources;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Cli.Commands;

/// <summary>
/// <c>meshctl certs</c>: one root and one intermediate per cluster, written as Istio's <c>cacerts</c> Secret
/// (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem). Never overwrites existing CA material.
/// </summary>
internal static class CertsCommand
{
    public static Command Create(CliConsole console, HelpExamples help)
    {
        var outDir = new Option<string>("--out-dir") { Description = "Where to write (created if missing). Existing files are never overwritten.", Required = true, HelpName = "dir" };
        var clusters = new Option<string[]>("--cluster") { Description = "A cluster to create an intermediate CA for (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "name" };
        var rootCert = new Option<string?>("--root-cert") { Description = "An existing root certificate (PEM), to add clusters to a mesh; needs --root-key.", HelpName = "file" };
        var rootKey = new Option<string?>("--root-key") { Description = "The existing root's private key (PEM).", HelpName = "file" };
        var keyType = new Option<string>("--key-type") { Description = "rsa (4096 bits, as Istio's own tooling) or ecdsa (P-256).", DefaultValueFactory = _ => "rsa", HelpName = "rsa|ecdsa" };
        keyType.AcceptOnlyFromAmong("rsa", "ecdsa");
        var rootDays = new Option<int>("--root-days") { Description = "Root lifetime in days.", DefaultValueFactory = _ => 3650, HelpName = "days" };
        var intermediateDays = new Option<int>("--intermediate-days") { Description = "Intermediate lifetime in days (at most the root's).", DefaultValueFactory = _ => 730, HelpName = "days" };
        var organization = new Option<string>("--org") { Description = "Organization (O) in the subjects.", DefaultValueFactory = _ => "MeshFunctions", HelpName = "name" };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the cacerts Secret (Istio's).", DefaultValueFactory = _ => "istio-system", HelpName = "ns" };

        var command = new Command("certs", "Create a multi-cluster CA: one root, one intermediate per cluster, as Istio's cacerts Secret.");
        help.Add(command, """
            Writes <out-dir>/root-cert.pem and root-key.pem (keep the root key offline), and per cluster
            <out-dir>/<cluster>/{ca-cert,ca-key,root-cert,cert-chain}.pem plus cacerts.yaml, the Secret istiod reads
            (apply it before installing istiod). Every cluster trusts the same root, so workloads authenticate across
            clusters. Nothing is written if any target file exists.

              meshctl certs --out-dir certs --cluster east --cluster west
              meshctl certs --out-dir certs-north --cluster north --root-cert certs/root-cert.pem --root-key certs/root-key.pem
              kubectl create namespace istio-system && kubectl apply -f certs/east/cacerts.yaml
            """);
        foreach (var option in (Option[])[outDir, clusters, rootCert, rootKey, keyType, rootDays, intermediateDays, organization, ns])
        {
            command.Add(option);
        }

        command.SetAction(result => CommandRunner.Run(console, "certs", diagnostics =>
        {
            var dir = result.GetValue(outDir)!;
            var names = result.GetValue(clusters) ?? [];
            var (certFile, keyFile) = (result.GetValue(rootCert), result.GetValue(rootKey));
            var (days, subDays) = (result.GetValue(rootDays), result.GetValue(intermediateDays));
            if ((certFile is null) != (keyFile is null))
            {
                throw new UsageException("--root-cert and --root-key go together");
            }

            if (days is < 1 or > 36500 || subDays < 1 || subDays > days)
            {
                throw new UsageException($"lifetimes must be 1 ≤ --intermediate-days ({subDays}) ≤ --root-days ({days}) ≤ 36500");
            }

            foreach (var name in names.Where(n => !Names.IsDns1123Label(n)))
            {
                diagnostics.Add(Diagnostic.Error("--cluster", $"'{name}' is not a valid cluster name (DNS-1123 label: lower-case letters, digits and '-')"));
            }

            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                diagnostics.Add(Diagnostic.Error("--cluster", "a cluster is listed twice"));
            }

            if (diagnostics.Count > 0)
            {
                return null;
            }

            var files = Generate(names, certFile, keyFile, result.GetValue(keyType)!, days, subDays, result.GetValue(organization)!, result.GetValue(ns)!);
            Write(dir, files, diagnostics);
            return diagnostics.Count > 0 ? null : new Output.PendingOutput();
        }));
        return command;
    }

    private static List<(string Path, string Content, bool Secret)> Generate(string[] clusters, string? certFile, string? keyFile, string keyType, int rootDays, int days, string org, string ns)
    {
        var time = TimeProvider.System;
        var files = new List<(string, string, bool)>();
        using var root = certFile is null
            ? CertificateAuthority.CreateRoot(org, keyType, rootDays, time)
            : CertificateAuthority.LoadRoot(File.ReadAllText(certFile), File.ReadAllText(keyFile!));
        var rootPem = root.CertificatePem();
        if (certFile is null)
        {
            files.Add(("root-cert.pem", rootPem, false));
            files.Add(("root-key.pem", root.KeyPem(), true));
        }

        foreach (var cluster in clusters)
        {
            using var intermediate = root.CreateIntermediate(org, cluster, keyType, days, time);
            var pems = new Dictionary<string, string>
            {
                ["ca-cert.pem"] = intermediate.CertificatePem(),
                ["ca-key.pem"] = intermediate.KeyPem(),
                ["root-cert.pem"] = rootPem,
                ["cert-chain.pem"] = intermediate.CertificatePem() + rootPem,
            };
            foreach (var (name, content) in pems)
            {
                files.Add((Path.Combine(cluster, name), content, name == "ca-key.pem"));
            }

            var data = new JsonObject();
            foreach (var (name, content) in pems)
            {
                data[name] = Convert.ToBase64String(Encoding.ASCII.GetBytes(content));
            }

            var secret = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "cacerts",
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "meshctl", ["topology.istio.io/cluster"] = cluster },
                },
                ["type"] = "Opaque",
                ["data"] = data,
            };
            files.Add((Path.Combine(cluster, "cacerts.yaml"), YamlWriter.Write(secret), true));
        }

        return files;
    }

    /// <summary>All or nothing: refuses when any target exists; keys are readable by the owner only.</summary>
    private static void Write(string dir, List<(string Path, string Content, bool Secret)> files, List<Diagnostic> diagnostics)
    {
        foreach (var (path, _, _) in files)
        {
            var full = Path.Combine(dir, path);
            if (File.Exists(full) || Directory.Exists(full))
            {
                diagnostics.Add(Diagnostic.Error(full, "exists: refusing to overwrite CA material (a new root would break trust with every cluster using the old one); choose another --out-dir or delete it yourself"));
            }
        }

        if (diagnostics.Count > 0)
        {
            return;
        }

        foreach (var (path, content, secret) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (secret && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(full, options);
            stream.Write(Encoding.ASCII.GetBytes(content));
        }
    }
}
