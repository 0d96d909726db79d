using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Choosing in a MudSelect as a person does, and waiting until the choice has settled.</summary>
public static class MudSelectChoice
{
    /// <summary>
    /// Opens the select named <paramref name="label"/> within <paramref name="scope"/>, clicks
    /// <paramref name="option"/> (the options render in the popover provider, outside any dialog), and
    /// waits until the list has closed. The wait matters: while its list is open a MudSelect sends the
    /// focus back to itself when it loses it, so the click on an option also brings a late focus call
    /// from the server; a field filled before that arrives can have its text typed into the select
    /// instead (a typed password once went missing at Create this way).
    /// </summary>
    public static async Task ChooseAsync(this IPage page, ILocator scope, string label, string option)
    {
        await scope.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
    }
}
