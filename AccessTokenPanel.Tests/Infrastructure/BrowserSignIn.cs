using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// Signs a user in, password then a TOTP code: through the account forms, posted with the browser
/// context's cookies (most tests), or on the real pages, as a person would (the sign-in tests).
/// </summary>
public static class BrowserSignIn
{
    /// <summary>
    /// Where a sign-in lands unless a test asks for the home page: the liveness endpoint, a line of
    /// text. Nearly every browser test goes on to a page of its own right after signing in; landing
    /// on the Overview first made the app render it and start its circuit, and the browser load its
    /// scripts, for nothing, about a second of both on each of the suite's ~55 sign-ins.
    /// </summary>
    public const string QuietLanding = "/healthz/live";

    /// <summary>
    /// Signs <paramref name="user"/> (from <see cref="TestUsers.CreateEnrolledUserAsync"/>) in on
    /// <paramref name="page"/>, whose context has the app's base address. The clock moves 30 s
    /// first, so repeated sign-ins never reuse a time step (a code works once). The sign-in ends on
    /// <paramref name="landing"/> (its return address); null: where the panel sends a person, the Overview.
    /// </summary>
    public static Task SignInAsync(IPage page, TestUser user, FakeTimeProvider time, string? landing = QuietLanding) =>
        SignInAsync(page, user, () =>
        {
            time.Advance(TimeSpan.FromSeconds(30));
            return user.CodeAt(time.GetUtcNow());
        }, landing);

    /// <summary>
    /// The same, with the code from <paramref name="nextCode"/> (e.g. after moving several instances'
    /// clocks). The two forms are posted through the browser context's own request client, whose
    /// cookies are the context's: the page is signed in as a person would be, without the browser
    /// loading and drawing the two account pages (about a second of Chromium's time on each of the
    /// suite's ~55 sign-ins). The pages themselves are driven in <see cref="SignInThroughPagesAsync(IPage, TestUser, FakeTimeProvider)"/>
    /// (the sign-in tests). With <paramref name="landing"/> null the page then opens the home page.
    /// </summary>
    public static async Task SignInAsync(IPage page, TestUser user, Func<string> nextCode, string? landing = QuietLanding)
    {
        var http = page.Context.APIRequest;
        var twoFactor = await SubmitAsync(http, LoginAddress(landing),
            new() { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        var arrived = await SubmitAsync(http, twoFactor, new() { ["Input.Code"] = nextCode() });
        if (new Uri(new Uri("http://panel"), arrived).AbsolutePath != (landing ?? "/"))
        {
            throw new InvalidOperationException($"The sign-in of {user.Email} ended at {arrived}, not {landing ?? "/"}.");
        }
        if (landing is null)
        {
            await page.GotoAsync("/");
        }
    }

    /// <summary>Signs in on the real pages: the form filled, the button clicked, the code typed (the sign-in tests).</summary>
    public static async Task SignInThroughPagesAsync(IPage page, TestUser user, FakeTimeProvider time)
    {
        await page.GotoAsync(LoginAddress(QuietLanding));
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(user.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authentication code", new() { Exact = true }).WaitForAsync();

        time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(user.CodeAt(time.GetUtcNow()));
        var verify = page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true });
        // The quiet landing is a line of plain text: its response (the cookie came with the redirect
        // before it) is the end of the sign-in. Not WaitForURLAsync: when the address already
        // matches, Playwright .NET waits for the page's load event whatever WaitUntil says (Commit
        // has no load state of its own), and a plain-text page's load event once never came in a
        // full run (timed out after 30 s with "networkidle" fired). A response has no such state.
        await page.RunAndWaitForResponseAsync(
            () => verify.ClickAsync(),
            response => new Uri(response.Url).AbsolutePath == QuietLanding && response.Status == 200);
    }

    private static string LoginAddress(string? landing) =>
        landing is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(landing)}";

    /// <summary>
    /// Loads <paramref name="address"/>, posts its form holding <paramref name="fields"/> (with the
    /// form's hidden fields: antiforgery token, handler) and returns where the answer redirects.
    /// </summary>
    private static async Task<string> SubmitAsync(IAPIRequestContext http, string address, Dictionary<string, string> fields)
    {
        var page = await http.GetAsync(address);
        var document = await new HtmlParser().ParseDocumentAsync(await page.TextAsync());
        var first = fields.Keys.First();
        var form = document.Forms.FirstOrDefault(f => f.QuerySelector($"[name='{first}']") is not null)
            ?? throw new InvalidOperationException($"{address} ({page.Status}) has no form with {first}.");
        var data = http.CreateFormData();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (hidden.Name is { } name && !fields.ContainsKey(name))
            {
                data.Set(name, hidden.Value);
            }
        }
        foreach (var (name, value) in fields)
        {
            data.Set(name, value);
        }
        var action = form.GetAttribute("action") is { Length: > 0 } target ? target : address;
        var answer = await http.PostAsync(action, new() { Form = data, MaxRedirects = 0 });
        if (answer.Status != 302 || !answer.Headers.TryGetValue("location", out var location))
        {
            var text = await answer.TextAsync();
            throw new InvalidOperationException($"Posting {first} to {action} answered {answer.Status}: {text[..Math.Min(text.Length, 400)]}");
        }
        return location;
    }
}
