using AccessTokenPanel.Tests.Infrastructure;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using AccessTokenPanel.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// Every resource file of the Web project exists in English (the neutral .resx) and Japanese
/// (.ja.resx) with the same keys, and a translation never asks for a value the English does not have.
/// </summary>
public sealed partial class ResourceCompletenessTests
{
    [Fact]
    public void EveryKeyExistsInBothLanguages()
    {
        var problems = new List<string>();
        var files = ResourceFiles();
        Assert.NotEmpty(files);
        foreach (var file in files.Where(f => !IsJapanese(f)))
        {
            var japanese = Path.ChangeExtension(file, ".ja.resx");
            if (!File.Exists(japanese))
            {
                problems.Add($"{Relative(file)} has no Japanese file {Path.GetFileName(japanese)}");
                continue;
            }
            var english = Entries(file);
            var translated = Entries(japanese);
            // The resource build ignores a key that differs from another only in case, so its text is never found.
            problems.AddRange(english.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
                .Select(g => $"{Relative(file)} has keys that differ only in case: {string.Join(", ", g)}"));
            problems.AddRange(english.Keys.Except(translated.Keys).Select(k => $"{Relative(japanese)} lacks \"{k}\""));
            problems.AddRange(translated.Keys.Except(english.Keys).Select(k => $"{Relative(file)} lacks \"{k}\" (only in Japanese)"));
            foreach (var (key, value) in translated.Where(t => english.ContainsKey(t.Key)))
            {
                if (value.Length == 0 && english[key].Length > 0)
                {
                    problems.Add($"{Relative(japanese)}: \"{key}\" is empty");
                }
                // A placeholder the English text does not have would make string.Format throw.
                var extra = Placeholders(value).Except(Placeholders(english[key])).ToList();
                if (extra.Count > 0)
                {
                    problems.Add($"{Relative(japanese)}: \"{key}\" uses {string.Join(", ", extra)}, which the English does not");
                }
            }
        }
        problems.AddRange(files.Where(IsJapanese).Where(f => !File.Exists(f.Replace(".ja.resx", ".resx", StringComparison.Ordinal)))
            .Select(f => $"{Relative(f)} has no English (neutral) file"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void AKeyMissingInJapaneseIsReported()
    {
        var folder = Directory.CreateTempSubdirectory("atp-resx-");
        try
        {
            var english = Path.Combine(folder.FullName, "Sample.resx");
            File.WriteAllText(english, Resx(("Delete", "Delete"), ("Copy", "Copy")));
            File.WriteAllText(Path.ChangeExtension(english, ".ja.resx"), Resx(("Delete", "削除")));

            Assert.Equal(["Copy"], Entries(english).Keys.Except(Entries(Path.ChangeExtension(english, ".ja.resx")).Keys));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void JapaneseTextsAreFoundAtRunTimeAndEnglishStaysAsItWas()
    {
        var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var texts = services.GetRequiredService<IStringLocalizer<TokenTexts>>();
        var now = new DateTime(2026, 12, 7, 0, 0, 0, DateTimeKind.Utc);

        TestCulture.Run("ja", () =>
        {
            Assert.Equal("トークン発行", texts["Generate access token"]);
            Assert.Equal("はい、削除します", texts["Yes, delete"]);
            Assert.Equal("有効期限", texts["Expires"]);
            Assert.Equal("削除", texts["Delete"]);
            Assert.Contains("yes", texts["Type yes to confirm"].Value, StringComparison.Ordinal);
            Assert.Equal("12日後", RelativeTime.Expiry(now.AddDays(12), now));
            Assert.Equal("3日前に期限切れ", RelativeTime.Expiry(now.AddDays(-3), now));
            Assert.Equal("2026/12/19", DisplayDates.Date(now.AddDays(12)));
        });
        TestCulture.Run("en", () =>
        {
            Assert.Equal("Generate access token", texts["Generate access token"]);
            Assert.Equal("Yes, delete", texts["Yes, delete"]);
            Assert.Equal("in 12 days", RelativeTime.Expiry(now.AddDays(12), now));
            Assert.Equal("expired 3 days ago", RelativeTime.Expiry(now.AddDays(-3), now));
            Assert.Equal("2026-12-19", DisplayDates.Date(now.AddDays(12)));
        });
    }

    internal static IReadOnlyList<string> ResourceFiles() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "AccessTokenPanel.Web"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsJapanese(string file) => file.EndsWith(".ja.resx", StringComparison.Ordinal);

    private static Dictionary<string, string> Entries(string file) =>
        XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static IEnumerable<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();

    private static string Resx(params (string Key, string Value)[] entries) =>
        new XDocument(new XElement("root", entries.Select(e => new XElement("data", new XAttribute("name", e.Key), new XElement("value", e.Value))))).ToString();

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot(), file);

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AccessTokenPanel.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("The repository (AccessTokenPanel.sln) is not above the test binaries.");
    }
}
