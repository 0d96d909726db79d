using Microsoft.Playwright;

namespace AccessTokenPanel.Tests.Passkeys;

/// <summary>
/// Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a platform authenticator
/// with resident keys that verifies its user, so the browser's passkey dialogs complete unattended.
/// It belongs to the page (tab) and keeps its passkeys across navigations.
/// </summary>
public sealed class VirtualAuthenticator
{
    private readonly ICDPSession _cdp;

    private VirtualAuthenticator(ICDPSession cdp, string id) => (_cdp, Id) = (cdp, id);

    public string Id { get; }

    public static async Task<VirtualAuthenticator> AttachAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        var answer = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(cdp, answer!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Whether the authenticator says it verified its user (PIN, biometrics) from now on.</summary>
    public async Task SetUserVerifiedAsync(bool verified) =>
        await _cdp.SendAsync("WebAuthn.setUserVerified", new Dictionary<string, object> { ["authenticatorId"] = Id, ["isUserVerified"] = verified });

    /// <summary>How many passkeys the authenticator holds.</summary>
    public async Task<int> CountCredentialsAsync()
    {
        var answer = await _cdp.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = Id });
        return answer!.Value.GetProperty("credentials").GetArrayLength();
    }
}
