using System.Reflection;
using System.Text.RegularExpressions;
using AccessTokenPanel.Domain;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// Every error code the Domain can return has its screen text in DomainErrorTexts, in English and
/// Japanese. The Domain's codes are its public constants in the classes named <c>*ErrorCodes</c> or
/// <c>*Errors</c>; a second test keeps them there by refusing a code written as a literal where a
/// <see cref="DomainError"/> is made.
/// </summary>
public sealed partial class DomainErrorCodeTextsTests
{
    [Fact]
    public void EveryDomainErrorCodeHasAJapaneseText()
    {
        var codes = DomainErrorCodes();
        Assert.Contains("permission-missing", codes);
        Assert.Contains("token-not-found", codes);
        var texts = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<DomainErrorTexts>>();

        var missing = new List<string>();
        TestCulture.Run("ja", () => missing.AddRange(codes.Where(code => texts[code] is { ResourceNotFound: true } or { Value.Length: 0 })
            .Select(code => $"{code}: no Japanese text")));
        TestCulture.Run("en", () => missing.AddRange(codes.Where(code => texts[code].ResourceNotFound).Select(code => $"{code}: no English text")));

        Assert.True(missing.Count == 0, "DomainErrorTexts lacks:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void TheDomainMakesErrorsOnlyWithItsCodeConstants()
    {
        var literals = Directory.GetFiles(Path.Combine(ResourceCompletenessTests.RepositoryRoot(), "AccessTokenPanel.Domain"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralCode().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();

        Assert.True(literals.Count == 0,
            "A DomainError made with a literal code escapes the text check; name it in a *ErrorCodes class:\n" + string.Join("\n", literals));
    }

    [Fact]
    public void ThePermissionRefusalReadsInJapanese()
    {
        var error = Domain.Authorization.AuthorizationErrors.PermissionMissing(Domain.Authorization.Operations.IssueToken, ["tokens.issue"]);

        TestCulture.Run("ja", () => Assert.Equal("この操作に必要な権限がありません。", DomainMessages.Text(error)));
        TestCulture.Run("en", () => Assert.Equal(error.Message, DomainMessages.Text(error)));
    }

    internal static IReadOnlyList<string> DomainErrorCodes() =>
        typeof(DomainError).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true, IsPublic: true } && (t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal) || t.Name.EndsWith("Errors", StringComparison.Ordinal)))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            // Field names ("Code", "Name") sit beside the codes in some of these classes.
            .Where(value => CodeShape().IsMatch(value))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)+$")]
    private static partial Regex CodeShape();

    [GeneratedRegex(@"new\s+DomainError\(\s*""[^""]*""|new\(\s*""[a-z0-9]+(-[a-z0-9]+)+""\s*,")]
    private static partial Regex LiteralCode();
}
