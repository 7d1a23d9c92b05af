using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeshFunctions.Cli.Tests.Infrastructure;
using MeshFunctions.Core.Yaml;

namespace MeshFunctions.Cli.Tests.Commands;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertsCommandTests
{
    [Fact]
    public void Certs_TwoClusters_OneRootTwoIntermediatesAsIstioCacertsSecrets()
    {
        using var dir = new TempDir();

        var run = MeshctlRun.Invoke("certs", "--out-dir", dir.Path, "--cluster", "east", "--cluster", "west", "--key-type", "ecdsa");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(dir.Combine("root-cert.pem")));
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine("root-key.pem")));
        var serials = new HashSet<string>();
        foreach (var cluster in (string[])["east", "west"])
        {
            var secret = YamlReader.Read(File.ReadAllText(dir.Combine(cluster, "cacerts.yaml"))).Single().Root!.AsObject();
            Assert.Equal("cacerts", (string?)secret["metadata"]!["name"]);
            Assert.Equal("istio-system", (string?)secret["metadata"]!["namespace"]);
            var data = secret["data"]!.AsObject().ToDictionary(p => p.Key, p => Encoding.ASCII.GetString(Convert.FromBase64String((string)p.Value!)));
            Assert.Equal(["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"], data.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(File.ReadAllText(dir.Combine("root-cert.pem")), data["root-cert.pem"]);
            Assert.Equal(data["ca-cert.pem"] + data["root-cert.pem"], data["cert-chain.pem"]);

            using var intermediate = X509Certificate2.CreateFromPem(data["ca-cert.pem"], data["ca-key.pem"]);
            Assert.True(intermediate.HasPrivateKey);
            var constraints = intermediate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.True(constraints.CertificateAuthority && constraints.HasPathLengthConstraint && constraints.PathLengthConstraint == 0);
            Assert.Contains($"L={cluster}", intermediate.Subject, StringComparison.Ordinal);
            Assert.True(intermediate.NotAfter < root.NotAfter);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(intermediate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.True(serials.Add(intermediate.SerialNumber));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine(cluster, "ca-key.pem")));

            // An independent implementation agrees: OpenSSL verifies the intermediate against the root.
            var info = new System.Diagnostics.ProcessStartInfo("openssl", ["verify", "-CAfile", dir.Combine("root-cert.pem"), dir.Combine(cluster, "ca-cert.pem")]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var openssl = System.Diagnostics.Process.Start(info)!;
            var verdict = openssl.StandardOutput.ReadToEnd() + openssl.StandardError.ReadToEnd();
            openssl.WaitForExit();
            Assert.True(openssl.ExitCode == 0 && verdict.TrimEnd().EndsWith(": OK", StringComparison.Ordinal), verdict);
        }
    }

    [Fact]
    public void Certs_DefaultKeys_Rsa4096()
    {
        using var dir = new TempDir();

        var run = MeshctlRun.Invoke("certs", "--out-dir", dir.Path, "--cluster", "east");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(dir.Combine("east", "ca-cert.pem")));
        Assert.Equal(4096, intermediate.GetRSAPublicKey()!.KeySize);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(dir.Combine("east", "ca-key.pem")), StringComparison.Ordinal);
    }

    [Fact]
    public void Certs_ExistingOutput_RefusesAndChangesNothing()
    {
        using var dir = new TempDir();
        Assert.Equal(0, MeshctlRun.Invoke("certs", "--out-dir", dir.Path, "--cluster", "east", "--key-type", "ecdsa").ExitCode);
        var before = TempDir.Snapshot(dir.Path);

        var run = MeshctlRun.Invoke("certs", "--out-dir", dir.Path, "--cluster", "east", "--cluster", "west", "--key-type", "ecdsa");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refusing to overwrite", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, TempDir.Snapshot(dir.Path));
    }

    [Fact]
    public void Certs_ExistingRoot_NewClusterChainsToTheSameRoot()
    {
        using var dir = new TempDir();
        Assert.Equal(0, MeshctlRun.Invoke("certs", "--out-dir", dir.Combine("mesh"), "--cluster", "east", "--key-type", "ecdsa").ExitCode);

        var run = MeshctlRun.Invoke("certs", "--out-dir", dir.Combine("north"), "--cluster", "north", "--key-type", "ecdsa",
            "--root-cert", dir.Combine("mesh", "root-cert.pem"), "--root-key", dir.Combine("mesh", "root-key.pem"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(dir.Combine("north", "root-key.pem")));
        Assert.Equal(File.ReadAllText(dir.Combine("mesh", "root-cert.pem")), File.ReadAllText(dir.Combine("north", "north", "root-cert.pem")));
        using var east = X509Certificate2.CreateFromPem(File.ReadAllText(dir.Combine("mesh", "east", "ca-cert.pem")));
        using var north = X509Certificate2.CreateFromPem(File.ReadAllText(dir.Combine("north", "north", "ca-cert.pem")));
        Assert.Equal(east.Issuer, north.Issuer);
    }

    [Theory]
    [InlineData(1, "--cluster", "East_1")]
    [InlineData(1, "--cluster", "east", "--cluster", "east")]
    [InlineData(2, "--cluster", "east", "--root-cert", "x.pem")]
    [InlineData(2, "--cluster", "east", "--intermediate-days", "4000")]
    [InlineData(2, "--cluster", "east", "--key-type", "dsa")]
    public void Certs_BadArguments_FailAndWriteNothing(int exit, params string[] args)
    {
        using var dir = new TempDir();

        var run = MeshctlRun.Invoke(["certs", "--out-dir", dir.Combine("out"), "--key-type", "ecdsa", .. args]);

        Assert.True(run.ExitCode == exit, run.ToString());
        Assert.False(Directory.Exists(dir.Combine("out")));
    }
}
