using System.Reflection;
using AccessTokenPanel.Tests.Infrastructure;
using AccessTokenPanel.Web.Hosting;
using AccessTokenPanel.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Localization;

/// <summary>
/// ASP.NET Core Identity's errors on the screens follow the language: every message Identity's
/// describer has is translated, and the English stays Identity's own, word for word.
/// </summary>
public sealed class IdentityErrorTextsTests
{
    [Fact]
    public void EveryIdentityErrorReadsInJapaneseAndEnglishStaysIdentitysOwn()
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var panel = scope.ServiceProvider.GetRequiredService<IdentityErrorDescriber>();
        Assert.IsType<PanelIdentityErrorDescriber>(panel);
        var identity = new IdentityErrorDescriber();
        var methods = typeof(IdentityErrorDescriber).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsVirtual && m.ReturnType == typeof(IdentityError)).ToList();
        Assert.True(methods.Count >= 22, $"Identity's describer has {methods.Count} messages");

        var problems = new List<string>();
        foreach (var method in methods)
        {
            var values = method.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)12 : "hanako@example.test").ToArray();
            TestCulture.Run("en", () =>
            {
                var (ours, theirs) = ((IdentityError)method.Invoke(panel, values)!, (IdentityError)method.Invoke(identity, values)!);
                if (ours.Code != theirs.Code || ours.Description != theirs.Description)
                {
                    problems.Add($"{method.Name}: English \"{ours.Description}\" ({ours.Code}) is not Identity's \"{theirs.Description}\" ({theirs.Code})");
                }
            });
            TestCulture.Run("ja", () =>
            {
                var (ours, theirs) = ((IdentityError)method.Invoke(panel, values)!, (IdentityError)method.Invoke(identity, values)!);
                if (ours.Code != theirs.Code || ours.Description == theirs.Description || ours.Description == method.Name
                    || values.OfType<string>().Any(v => !ours.Description.Contains(v, StringComparison.Ordinal)))
                {
                    problems.Add($"{method.Name}: Japanese \"{ours.Description}\" ({ours.Code})");
                }
            });
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ThePasswordRuleAndATakenEmailReadInJapanese()
    {
        using var services = Services();
        using var scope = services.CreateScope();
        var describer = scope.ServiceProvider.GetRequiredService<IdentityErrorDescriber>();

        TestCulture.Run("ja", () =>
        {
            Assert.Equal("パスワードは 12 文字以上にしてください。", describer.PasswordTooShort(12).Description);
            Assert.Equal("メールアドレス「dana@example.test」はすでに使われています。", describer.DuplicateEmail("dana@example.test").Description);
            Assert.Equal(nameof(IdentityErrorDescriber.DuplicateEmail), describer.DuplicateEmail("dana@example.test").Code);
        });
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPanelLocalization();
        services.AddPanelIdentity();
        return services.BuildServiceProvider();
    }
}
