using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Bunit;

namespace AccessTokenPanel.Tests.Tokens.Screens;

public class GenerateTokenDialogTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ErrorsAppearBesideTheirFieldsAndTypedValuesAreKeptButNotTheCode()
    {
        var input = new GenerateTokenInput
        {
            Name = "ci deploy", Api = "Rest", ExpiryMode = GenerateTokenInput.DaysMode, Days = "400", Code = null,
        };
        var errors = new Dictionary<string, string>
        {
            [nameof(GenerateTokenInput.Days)] = "Tokens may live at most 365 days.",
            [GenerateTokenHandler.CodeField] = "That code is not right.",
        };

        var cut = RenderDialog(input, errors);

        Assert.Equal("ci deploy", cut.Find("#token-name").GetAttribute("value"));
        Assert.Equal("400", cut.Find("#token-days").GetAttribute("value"));
        Assert.True(cut.Find("#token-api option[value=Rest]").HasAttribute("selected"));
        var code = cut.Find("#token-code");
        Assert.True(string.IsNullOrEmpty(code.GetAttribute("value")));

        var daysField = cut.Find("#token-days").Closest(".form-field")!;
        Assert.Contains("Tokens may live at most 365 days.", daysField.QuerySelector(".validation-message")!.TextContent);
        Assert.Equal("true", cut.Find("#token-days").GetAttribute("aria-invalid"));
        Assert.Contains("token-days-error", cut.Find("#token-days").GetAttribute("aria-describedby"));
        Assert.Contains("That code is not right.", code.Closest(".form-field")!.QuerySelector(".validation-message")!.TextContent);
        Assert.Null(cut.Find("#token-name").GetAttribute("aria-invalid"));
        Assert.Null(cut.Find("#token-name").Closest(".form-field")!.QuerySelector(".validation-message"));
    }

    [Fact]
    public void DelegatedRoleLivesInTheFieldShownOnlyForConfigurationApi()
    {
        var cut = RenderDialog(new GenerateTokenInput());

        // The stylesheet hides .role-field unless the API select has Configuration chosen (the browser tests check it shows).
        var roleField = cut.Find("#token-role").Closest(".form-field")!;
        Assert.Contains("role-field", roleField.ClassList);
        Assert.Equal("Delegated role", roleField.QuerySelector("label[for=token-role]")!.TextContent);
    }

    [Fact]
    public void OnlyTheRolesGivenAreOffered()
    {
        var userAdmin = PanelRoles.Find(PanelRoles.UserAdministrator)!.Permissions;

        var cut = RenderDialog(new GenerateTokenInput(), roles: PanelRoles.DelegableBy(userAdmin));

        var offered = cut.FindAll("#token-role option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToList();
        Assert.Equal([PanelRoles.ReadOnly, PanelRoles.UserAdministrator], offered);
    }

    [Fact]
    public void NumberOfDaysIsTheDefaultExpiryAndSpecificDateCanBeChosen()
    {
        var byDays = RenderDialog(new GenerateTokenInput { Days = "90" });
        Assert.True(Radio(byDays, GenerateTokenInput.DaysMode).HasAttribute("checked"));
        Assert.False(Radio(byDays, GenerateTokenInput.DateMode).HasAttribute("checked"));
        Assert.Equal("90", byDays.Find("#token-days").GetAttribute("value"));

        var byDate = RenderDialog(new GenerateTokenInput { ExpiryMode = GenerateTokenInput.DateMode, ExpirationDate = "2027-01-31" });
        Assert.True(Radio(byDate, GenerateTokenInput.DateMode).HasAttribute("checked"));
        Assert.Equal("2027-01-31", byDate.Find("#token-date").GetAttribute("value"));
        Assert.Equal("2026-11-23", byDate.Find("#token-date").GetAttribute("min"));
        Assert.Equal("2027-11-22", byDate.Find("#token-date").GetAttribute("max"));
    }

    [Fact]
    public void PresetsOfferSixtyNinetyHundredEightyAndThreeSixtyFiveDaysWithinThePolicy()
    {
        var cut = RenderDialog(new GenerateTokenInput(), maxLifetimeDays: 183);

        var presets = cut.FindAll("#token-days-presets option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["60", "90", "180"], presets);
        Assert.Equal("183", cut.Find("#token-days").GetAttribute("max"));
    }

    [Fact]
    public void ApisTheUserMayNotUseAreDisabledWithTheReason()
    {
        var cut = RenderDialog(new GenerateTokenInput(), apis:
        [
            new(ApiType.Configuration, true, null),
            new(ApiType.Scim, false, "needs permission to manage users"),
            new(ApiType.Rest, true, null),
        ]);

        var scim = cut.Find("#token-api option[value=Scim]");
        Assert.True(scim.HasAttribute("disabled"));
        Assert.Contains("needs permission to manage users", scim.TextContent);
        Assert.Equal(["Choose an API", "Configuration API", "SCIM API (needs permission to manage users)", "REST API"],
            cut.FindAll("#token-api option").Select(o => o.TextContent).ToList());
    }

    private static AngleSharp.Dom.IElement Radio(IRenderedComponent<GenerateTokenDialog> cut, string mode) =>
        cut.FindAll("input[type=radio]").Single(r => r.GetAttribute("value") == mode);

    private static IRenderedComponent<GenerateTokenDialog> RenderDialog(
        GenerateTokenInput input,
        IReadOnlyDictionary<string, string>? errors = null,
        IReadOnlyList<PanelRole>? roles = null,
        IReadOnlyList<GenerateTokenDialog.ApiChoice>? apis = null,
        int maxLifetimeDays = 365)
    {
        var context = new BunitContext();
        return context.Render<GenerateTokenDialog>(p => p
            .Add(d => d.Input, input)
            .Add(d => d.Errors, errors ?? new Dictionary<string, string>())
            .Add(d => d.Roles, roles ?? PanelRoles.All)
            .Add(d => d.Apis, apis ?? ApiTypes.All.Select(a => new GenerateTokenDialog.ApiChoice(a, true, null)).ToList())
            .Add(d => d.MaxLifetimeDays, maxLifetimeDays)
            .Add(d => d.Now, Now)
            .Add(d => d.CloseHref, "tokens"));
    }
}
