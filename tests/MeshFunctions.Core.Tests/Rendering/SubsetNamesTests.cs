using CsCheck;
using MeshFunctions.Core.Rendering;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.Rendering;

public sealed class SubsetNamesTests
{
    private const string Inner = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    private const string Edge = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>Any label value: alphanumeric at both ends, letters, digits, '.', '-' and '_' between, 1–63 characters.</summary>
    private static readonly Gen<string> LabelValue =
        Gen.Select(Gen.Char[Edge], Gen.Char[Inner].Array[0, 61], Gen.Char[Edge], Gen.Bool)
            .Select((first, middle, last, single) => single ? first.ToString() : first + new string(middle) + last);

    /// <summary>Versions drawn from a tiny alphabet, so that near-collisions (a.b / a-b / a_b / A.b) are frequent.</summary>
    private static readonly Gen<string> CrowdedValue =
        Gen.Select(Gen.Char["aA1"], Gen.Char["aA.-_"].Array[0, 6], Gen.Char["aA1"])
            .Select((first, middle, last) => first + new string(middle) + last);

    [Theory]
    [InlineData("v1.0.2", "v1-0-2")]
    [InlineData("v1", "v1")]
    [InlineData("2024.01.15", "2024-01-15")]
    [InlineData("V2", "v2--c00")]
    [InlineData("release-1", "release-1--h07")]
    [InlineData("build_7", "build-7--u05")]
    [InlineData("a..b", "a--b--z")]
    [InlineData("default", "default--z")]
    [InlineData("Default", "default--c00")]
    public void Encode_KnownVersion_ReadableName(string version, string expected)
    {
        Assert.Equal(expected, SubsetNames.Encode(version));
        Assert.Equal(version, SubsetNames.Decode(expected));
    }

    [Fact]
    public void Encode_AnyLabelValue_DecodesBackAndIsSafe()
    {
        LabelValue.Sample(version =>
        {
            var name = SubsetNames.Encode(version);

            Assert.True(SubsetNames.TryDecode(name, out var back));
            Assert.Equal(version, back);
            Assert.NotEqual(SubsetNames.Default, name);
            Assert.Equal(name, SubsetNames.Encode(version));
            Assert.Equal(name.Length <= Names.MaxLabelLength, SubsetNames.IsValidSubsetName(version));
            if (name.Length <= Names.MaxLabelLength)
            {
                Assert.True(Names.IsDns1123Label(name), $"'{name}' (from '{version}') is not a DNS-1123 label");
            }
        });
    }

    [Fact]
    public void Encode_DistinctVersions_DistinctNames()
    {
        Gen.Select(CrowdedValue, CrowdedValue).Sample((a, b) => a == b || SubsetNames.Encode(a) != SubsetNames.Encode(b));

        CrowdedValue.Array[200].Sample(values =>
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var v in values.Distinct(StringComparer.Ordinal))
            {
                Assert.True(seen.TryAdd(SubsetNames.Encode(v), v), $"'{v}' and '{seen.GetValueOrDefault(SubsetNames.Encode(v))}' share a subset name");
            }
        }, iter: 200);
    }

    [Fact]
    public void Encode_LowerCaseDottedVersion_DotsBecomeDashes()
    {
        Gen.Char["abz09"].Array[1, 5].Array[1, 5].Sample(parts =>
        {
            var version = string.Join('.', parts.Select(p => new string(p)));

            Assert.Equal(version.Replace('.', '-'), SubsetNames.Encode(version));
        });
    }

    [Theory]
    [InlineData("default")]
    [InlineData("")]
    [InlineData("v1.0.2")]
    [InlineData("-v1")]
    [InlineData("v1-")]
    [InlineData("v1--")]
    [InlineData("V1")]
    [InlineData("v1--c00c00")]
    [InlineData("v1--c01")]
    [InlineData("v1--h00")]
    [InlineData("v1-0--z")]
    [InlineData("v1--zz")]
    [InlineData("a-b--h01u01")]
    public void TryDecode_NonCanonicalName_False(string name)
    {
        Assert.False(SubsetNames.TryDecode(name, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".v1")]
    [InlineData("v1_")]
    [InlineData("v1/2")]
    [InlineData("版本")]
    public void Encode_NotALabelValue_ArgumentException(string version)
    {
        var ex = Assert.Throws<ArgumentException>(() => SubsetNames.Encode(version));
        Assert.Contains($"'{version}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RouterValidate_VersionEncodingTooLong_ErrorNamesTheVersion()
    {
        var version = "A-" + new string('b', 30) + "_C-D_E-F_G-H_I-J_K";
        var router = new Router
        {
            Metadata = new ObjectMeta { Name = "svc", Namespace = "ns" },
            Spec = new RouterSpec
            {
                Port = 80,
                Subsets = [new RouterSubset { Branch = "master", Versions = new() { [version] = 100 } }],
            },
        };

        var d = Assert.Single(router.Validate());
        Assert.Equal($"spec.subsets[0].versions.{version}", d.Path);
        Assert.Contains("longer than the 63", d.Message, StringComparison.Ordinal);
    }
}
