using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>Waiting for the browser to arrive somewhere, without Playwright's load states.</summary>
public static class BrowserAddress
{
    /// <summary>
    /// Returns once the page's main frame is at an address <paramref name="arrived"/> accepts (now, or
    /// at its next navigation, a new document or within one). Not <c>WaitForURLAsync</c>: when the
    /// address already matches, Playwright .NET then waits for a load state (the load event whatever
    /// WaitUntil says, Commit having none), and in full runs such states twice never came for a page
    /// that was there (30 s timeouts with only "networkidle" fired: sign-in and SSO). What a test does
    /// next waits for the elements it needs, as locators do.
    /// </summary>
    public static async Task WaitForAddressAsync(this IPage page, Func<Uri, bool> arrived, TimeSpan? patience = null)
    {
        var navigated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame && arrived(new Uri(frame.Url)))
            {
                navigated.TrySetResult();
            }
        }
        // Listening before looking: a navigation between the two is not missed.
        page.FrameNavigated += OnNavigated;
        try
        {
            if (arrived(new Uri(page.Url)))
            {
                return;
            }
            var limit = patience ?? TimeSpan.FromSeconds(30);
            try
            {
                await navigated.Task.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The page did not arrive where expected within {limit.TotalSeconds:F0} s; it is at {page.Url}.");
            }
        }
        finally
        {
            page.FrameNavigated -= OnNavigated;
        }
    }
}
