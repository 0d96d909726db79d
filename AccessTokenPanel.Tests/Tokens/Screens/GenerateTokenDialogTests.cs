using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;
using AccessTokenPanel.Web.Components.Pages.Tokens;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AccessTokenPanel.Tests.Tokens.Screens;

/// <summary>The Generate access token dialog's rules, rendered with MudBlazor in bUnit; the server calls are stand-ins.</summary>
public sealed class GenerateTokenDialogTests : MudDialogTest
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    private readonly List<GenerateTokenInput> _created = [];
    private Func<GenerateTokenInput, IReadOnlyDictionary<string, string>> _validate = _ => new Dictionary<string, string>();
    private Func<GenerateTokenInput, GenerateTokenOutcome> _create = _ => new(null, null, new Dictionary<string, string>());

    [Fact]
    public async Task DelegatedRoleIsAskedOnlyForConfigurationApiAndOffersOnlyTheRolesGiven()
    {
        var userAdmin = PanelRoles.Find(PanelRoles.UserAdministrator)!.Permissions;
        var (providers, _) = await OpenAsync(roles: PanelRoles.DelegableBy(userAdmin));
        Assert.False(HasLabel(providers, "Delegated role"));

        await ChooseAsync(providers, "API", "Configuration API");
        providers.WaitForAssertion(() => Assert.True(HasLabel(providers, "Delegated role")));
        await OpenSelectAsync(providers, "Delegated role");
        var offered = providers.FindAll("[role=option]").Select(o => o.TextContent.Trim()).ToList();
        Assert.Equal([PanelRoles.ReadOnly, PanelRoles.UserAdministrator], offered);
        providers.FindAll("[role=option]").Single(o => o.TextContent.Trim() == PanelRoles.ReadOnly).Click();

        await ChooseAsync(providers, "API", "REST API");
        providers.WaitForAssertion(() => Assert.False(HasLabel(providers, "Delegated role")));
    }

    [Fact]
    public async Task DaysAreAskedByDefaultAndSpecificDateSwitchesToADatePickerWithinThePolicy()
    {
        var (providers, _) = await OpenAsync(maxDays: 180);

        Assert.Equal("90", InputLabelled(providers, "Days").GetAttribute("value"));
        Assert.False(HasLabel(providers, "Expiration date"));

        providers.FindAll("label").Single(l => l.TextContent.Trim() == "Specific date").QuerySelector("input")!.Click();

        providers.WaitForAssertion(() => Assert.True(HasLabel(providers, "Expiration date")));
        Assert.False(HasLabel(providers, "Days"));
        var picker = providers.FindComponent<MudDatePicker>().Instance;
        // The picker greys out (disables) every day outside these bounds: tomorrow to the policy's latest date.
#pragma warning disable MUD0012 // reading the parameters the page set, in a test
        Assert.Equal(new DateTime(2026, 11, 23), picker.MinDate);
        Assert.Equal(new DateTime(2027, 5, 21), picker.MaxDate);
#pragma warning restore MUD0012
    }

    [Fact]
    public async Task PresetsFillTheDaysFieldAndNoneExceedsThePolicy()
    {
        var (providers, _) = await OpenAsync(maxDays: 100);

        var presets = providers.FindAll(".preset-buttons button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(["60 days", "90 days"], presets);
        Button(providers, "60 days").Click();

        providers.WaitForAssertion(() => Assert.Equal("60", InputLabelled(providers, "Days").GetAttribute("value")));
    }

    [Fact]
    public async Task ThePolicyMaximumIsShownBeforeTheUserPicks()
    {
        var (providers, _) = await OpenAsync(maxDays: 180);

        Assert.Contains("at most 180 days: the latest expiration date is 2027-05-21",
            providers.Find("#policy-bound").TextContent);
    }

    [Fact]
    public async Task EachApisOwnBoundIsShownBeforeAndAfterTheUserPicksAndBoundsThePresets()
    {
        var (providers, _) = await OpenAsync(maxDays: 365, byApi: new Dictionary<ApiType, int> { [ApiType.Configuration] = 30 });

        var bound = providers.Find("#policy-bound").TextContent;
        Assert.Contains("at most 365 days", bound);
        Assert.Contains("Configuration API 30 days, SCIM API 365 days, REST API 365 days", bound);

        await ChooseAsync(providers, "API", "Configuration API");
        providers.WaitForAssertion(() => Assert.Contains("Configuration API tokens at most 30 days: the latest expiration date is 2026-12-22",
            providers.Find("#policy-bound").TextContent));
        Assert.Empty(providers.FindAll(".preset-buttons button"));
    }

    [Fact]
    public async Task APendingRequestSaysItWaitsForApprovalAndShowsNoSecret()
    {
        _create = input => new(null, null, new Dictionary<string, string>(), new Domain.Approvals.TokenRequest
        {
            RequesterId = "me", OwnerId = "me", Name = "root", ApiType = ApiType.Configuration, CreatedAt = Now,
        });
        var (providers, _) = await OpenAsync();
        InputLabelled(providers, "Token name").Input("root");
        await InputLabelled(providers, "Token name").BlurAsync(new());
        InputLabelled(providers, "Authentication code").Input("123456");
        await InputLabelled(providers, "Authentication code").BlurAsync(new());
        await providers.Find("form").SubmitAsync();

        providers.WaitForAssertion(() => Assert.Contains("wait for someone else's approval", providers.Find("[role=dialog]").TextContent));
        Assert.DoesNotContain(providers.FindAll("input"), i => i.GetAttribute("value")?.StartsWith("atp_", StringComparison.Ordinal) == true);
        Assert.NotNull(Button(providers, "Done"));
    }

    [Fact]
    public async Task ErrorsAppearBesideTheFieldAsTheUserTypes()
    {
        _validate = input => input.Days == "400"
            ? new Dictionary<string, string> { [nameof(GenerateTokenInput.Days)] = "Tokens may live at most 365 days.", [nameof(GenerateTokenInput.Name)] = "Enter a name for the token." }
            : new Dictionary<string, string>();
        var (providers, _) = await OpenAsync();

        InputLabelled(providers, "Days").Input("400");

        providers.WaitForAssertion(() => Assert.Equal("true", InputLabelled(providers, "Days").GetAttribute("aria-invalid")));
        var days = InputLabelled(providers, "Days");
        Assert.Contains("Tokens may live at most 365 days.", FieldOf(days).QuerySelector(".mud-input-helper-text")!.TextContent);
        // The name was not touched yet: its error waits until it is.
        Assert.NotEqual("true", InputLabelled(providers, "Token name").GetAttribute("aria-invalid"));

        InputLabelled(providers, "Authentication code").Input("12");
        providers.WaitForAssertion(() => Assert.Contains("6 digits",
            FieldOf(InputLabelled(providers, "Authentication code")).QuerySelector(".mud-input-helper-text")!.TextContent));
    }

    [Fact]
    public async Task DomainErrorsFromCreateShowBesideTheirFieldsAndKeepTheInputButNotTheCode()
    {
        _create = _ => new(null, null, new Dictionary<string, string>
        {
            [GenerateTokenHandler.CodeField] = "That code is not right. Enter the current 6-digit code from your authenticator app.",
            [nameof(GenerateTokenInput.Name)] = "You already have an active token with this name.",
        });
        var (providers, _) = await OpenAsync();
        InputLabelled(providers, "Token name").Input("ci deploy");
        // Leaving the field, as a person tabbing on would.
        await InputLabelled(providers, "Token name").BlurAsync(new());
        await ChooseAsync(providers, "API", "REST API");
        InputLabelled(providers, "Authentication code").Input("123456");
        await InputLabelled(providers, "Authentication code").BlurAsync(new());

        await providers.Find("form").SubmitAsync();

        providers.WaitForAssertion(() => Assert.Contains("That code is not right",
            FieldOf(InputLabelled(providers, "Authentication code")).QuerySelector(".mud-input-helper-text")!.TextContent));
        Assert.Contains("already have an active token", FieldOf(InputLabelled(providers, "Token name")).QuerySelector(".mud-input-helper-text")!.TextContent);
        Assert.Equal("ci deploy", InputLabelled(providers, "Token name").GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(InputLabelled(providers, "Authentication code").GetAttribute("value")));
        var sent = Assert.Single(_created);
        Assert.Equal(("ci deploy", "Rest", "90"), (sent.Name, sent.Api, sent.Days));
    }

    [Fact]
    public async Task WhatWasTypedSurvivesTheNextChoiceMadeAtOnce()
    {
        // A person types the name and picks the API straight away, still in the name field: the
        // dialog re-renders for the choice, and the name must not go back to what it held before.
        // (A 250 ms debounce on the field sent the old name with a Create clicked within it, and on a
        // busy server a browser test had its typed name refused with "Enter a name for the token.")
        var (providers, _) = await OpenAsync();
        InputLabelled(providers, "Token name").Input("ci deploy");
        await ChooseAsync(providers, "API", "REST API");
        InputLabelled(providers, "Days").Input("30");
        await ChooseAsync(providers, "API", "SCIM API");
        InputLabelled(providers, "Authentication code").Input("123456");

        Assert.Equal("ci deploy", InputLabelled(providers, "Token name").GetAttribute("value"));
        Assert.Equal("30", InputLabelled(providers, "Days").GetAttribute("value"));
        await providers.Find("form").SubmitAsync();
        var sent = Assert.Single(_created);
        Assert.Equal(("ci deploy", "Scim", "30"), (sent.Name, sent.Api, sent.Days));
    }

    [Fact]
    public async Task TheCodeFieldIsNumericForOneTimeCodes()
    {
        var (providers, _) = await OpenAsync();

        var code = InputLabelled(providers, "Authentication code");
        Assert.Equal("one-time-code", code.GetAttribute("autocomplete"));
        Assert.Equal("numeric", code.GetAttribute("inputmode"));
    }

    [Fact]
    public async Task TheSecretIsShownOnceInTheDialogAndForgottenWhenItCloses()
    {
        const string secret = "atp_rest_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ_abc123";
        var token = new AccessToken
        {
            Id = Guid.NewGuid(), OwnerId = "owner", Name = "ci deploy", ApiType = ApiType.Rest, SecretHash = new byte[32],
            Hint = "atp_rest_…c123", CreatedAt = Now, ExpiresAt = Now.AddDays(30),
        };
        _create = _ => new(token, secret, new Dictionary<string, string>());
        var (providers, dialog) = await OpenAsync();
        InputLabelled(providers, "Token name").Input("ci deploy");
        await providers.Find("form").SubmitAsync();

        providers.WaitForAssertion(() => Assert.True(HasLabel(providers, "Access token")));
        var field = InputLabelled(providers, "Access token");
        Assert.Equal(secret, field.GetAttribute("value"));
        Assert.True(field.HasAttribute("readonly"));
        Assert.Contains("will not be shown again", providers.Find("[role=dialog]").TextContent);
        Assert.Contains("2026-12-22 (in 30 days)", providers.Find("[role=dialog]").TextContent);
        Assert.Contains($"curl -H \"Authorization: Bearer {secret}\" https://panel.example/api/v1/tokens", providers.Find("pre").TextContent);
        Assert.NotNull(Button(providers, "Copy"));

        Button(providers, "Done").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.IsNotType<string>(result.Data);
        providers.WaitForAssertion(() => Assert.DoesNotContain(secret, providers.Markup));
    }

    private static AngleSharp.Dom.IElement FieldOf(AngleSharp.Dom.IElement input) => input.Closest(".mud-input-control")!;

    private async Task<(IRenderedComponent<IComponent>, IDialogReference)> OpenAsync(IReadOnlyList<PanelRole>? roles = null, int maxDays = 365,
        IReadOnlyDictionary<ApiType, int>? byApi = null) =>
        await ShowAsync("Generate access token", new DialogParameters<GenerateTokenDialog>
        {
            { d => d.Roles, roles ?? PanelRoles.All },
            { d => d.Apis, ApiTypes.All.Select(a => new GenerateTokenDialog.ApiChoice(a, true, null)).ToList() },
            { d => d.MaxLifetimeDays, maxDays },
            { d => d.MaxLifetimeByApi, byApi },
            { d => d.DefaultDays, 90 },
            { d => d.Now, Now },
            { d => d.BaseUri, "https://panel.example/" },
            { d => d.Validate, input => Task.FromResult(_validate(input)) },
            {
                d => d.Create, input =>
                {
                    _created.Add(new GenerateTokenInput
                    {
                        Name = input.Name, Api = input.Api, DelegatedRole = input.DelegatedRole, ExpiryMode = input.ExpiryMode,
                        Days = input.Days, ExpirationDate = input.ExpirationDate, Code = input.Code,
                    });
                    return Task.FromResult(_create(input));
                }
            },
        });

    private static async Task OpenSelectAsync(IRenderedComponent<IComponent> providers, string label)
    {
        var labelElement = providers.FindAll("label").Single(l => l.TextContent.Trim() == label);
        await labelElement.Closest(".mud-input-control")!.QuerySelector(".mud-input-control-input-container")!.MouseDownAsync(new());
        providers.WaitForElements("[role=option]");
    }

    private static async Task ChooseAsync(IRenderedComponent<IComponent> providers, string label, string option)
    {
        await OpenSelectAsync(providers, label);
        providers.FindAll("[role=option]").Single(o => o.TextContent.Trim() == option).Click();
        providers.WaitForAssertion(() => Assert.Empty(providers.FindAll("[role=option]")));
    }
}
