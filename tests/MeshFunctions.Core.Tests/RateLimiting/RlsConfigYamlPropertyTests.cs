using CsCheck;
using MeshFunctions.Core.RateLimiting;
using MeshFunctions.Core.Resources;

namespace MeshFunctions.Core.Tests.RateLimiting;

public sealed class RlsConfigYamlPropertyTests
{
    // Strings that YAML would read as something else, or that need quoting.
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["abz09_-./:*@# '\"\\%&!|>{}[],?"], 1, 12],
        Gen.OneOf<string>("true", "no", "null", "~", "123", "0x1F", "1e3", "-", ": x", "a: b", " lead", "trail ", "#c", "*", "foo*", "日本"));

    private static readonly Gen<RlsLimit> Limit = Gen.Select(
        Gen.Enum<RateLimitUnit>(),
        Gen.UInt,
        Gen.Frequency((1, Gen.Const(true)), (6, Gen.Const(false))),
        Gen.Select(Gen.Bool, Text, (has, t) => has ? t : null),
        Text.Array[0, 2],
        Gen.Enum<RlsAlgorithm>(),
        (unit, rpu, unlimited, name, replaces, algorithm) => unlimited
            ? new RlsLimit { Unlimited = true, Name = name, Replaces = replaces.Where(r => r != name).Distinct().ToList() }
            : new RlsLimit { Unit = unit, RequestsPerUnit = rpu, Name = name, Replaces = replaces.Where(r => r != name).Distinct().ToList(), Algorithm = algorithm });

    private static readonly Gen<RlsConfig> Config =
        Gen.Select(Text, Descriptors(3), (domain, descriptors) => new RlsConfig { Domain = domain, Descriptors = descriptors });

    [Fact]
    public void WriteRead_AnyValidConfig_IsIdentity()
    {
        Config.Sample(config =>
        {
            var yaml = RlsConfigYaml.Write(config);
            var result = RlsConfigYaml.Parse(yaml);
            Assert.True(!result.HasErrors, yaml + "\n" + string.Join("\n", result.Diagnostics));
            RlsModelAssert.Equal(config, Assert.Single(result.Configs));
        }, iter: 300);
    }

    private static Gen<IReadOnlyList<RlsDescriptor>> Descriptors(int depth)
    {
        var children = depth == 0 ? Gen.Const<IReadOnlyList<RlsDescriptor>>([]) : Descriptors(depth - 1);
        var descriptor = Gen.Select(
            Text,
            Gen.Select(Gen.Bool, Text, (has, t) => has ? t : null),
            Limit.Array[0, 3],
            Gen.Bool,
            Gen.Bool,
            children,
            (key, value, limits, shadow, detailed, nested) => new RlsDescriptor
            {
                Key = key,
                Value = value,
                Limits = limits,
                ShadowMode = shadow,
                DetailedMetric = detailed,
                Descriptors = nested,
            });

        // One node per key and value at a level, as the format requires.
        return descriptor.Array[0, depth == 0 ? 2 : 3].Select(a => (IReadOnlyList<RlsDescriptor>)a.DistinctBy(d => (d.Key, d.Value)).ToList());
    }
}
