using CsCheck;
using MeshFunctions.Rls.Configuration;

namespace MeshFunctions.Rls.Tests.Configuration;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("foo*", "foo", true)]
    [InlineData("foo*", "foobar", true)]
    [InlineData("foo*", "fo", false)]
    [InlineData("bar*b", "barb", true)]
    [InlineData("bar*b", "bar-x-b", true)]
    [InlineData("bar*b", "bar-x-bc", false)]
    [InlineData("foo*bar*baz", "foo1bar2baz", true)]
    [InlineData("foo*bar*baz", "foobarbaz", true)]
    [InlineData("foo*bar*baz", "foobaz", false)]
    [InlineData("*", "", true)]
    [InlineData("a*a", "a", false)]
    public void IsMatch_Examples(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new WildcardPattern(pattern).IsMatch(value));

    [Fact]
    public void IsMatch_AgreesWithRegex() =>
        Gen.Select(Gen.String[Gen.Char["ab*"], 0, 6].Where(p => p.Contains('*', StringComparison.Ordinal)), Gen.String[Gen.Char["ab"], 0, 8]).Sample((pattern, value) =>
        {
            var regex = "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$";
            return new WildcardPattern(pattern).IsMatch(value) == System.Text.RegularExpressions.Regex.IsMatch(value, regex);
        });
}
