using System.Security.Claims;
using System.Text.Json;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Passkeys;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Users;
using AccessTokenPanel.Web.Api;
using AccessTokenPanel.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Web.Components.Account;

/// <summary>
/// The two requests the passkey script makes before the browser's dialog: the WebAuthn options
/// (Identity's <c>SignInManager</c> makes them and keeps the challenge in its short-lived cookie).
/// The passkey itself comes back in an ordinary form post to the page, which verifies it.
/// </summary>
internal static class PasskeyEndpoints
{
    /// <summary>The answer of the step-up endpoint: the handle the screen hands to the operation.</summary>
    public sealed record PasskeyStepUpProof(string Proof);

    public static IEndpointRouteBuilder MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.PasskeyCreationOptions, CreationOptionsAsync).RequireAuthorization()
            .Performs(Operations.AddPasskey);
        endpoints.MapPost(AccountPaths.PasskeyRequestOptions, RequestOptionsAsync).AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Credentials)
            .PerformsNoOperation("Starts a passkey sign-in: only a challenge, no account is named or changed.");
        // Not rate limited like the password form: a passkey's signature cannot be guessed, and the
        // challenge is bound to the signed-in user's own passkeys.
        endpoints.MapPost(AccountPaths.PasskeyStepUpOptions, StepUpOptionsAsync).RequireAuthorization()
            .PerformsNoOperation("Starts a passkey step-up: a challenge for the signed-in user's own passkeys; nothing is changed.");
        endpoints.MapPost(AccountPaths.PasskeyStepUp, StepUpAsync).RequireAuthorization()
            .PerformsNoOperation("Verifies a passkey into a one-time step-up proof; the screen action that spends it (tokens.issue, tokens.rotate, tokens.set-allowed-addresses) names its operation.");
        return endpoints;
    }

    /// <summary>The largest passkey answer read (a real one is a few kilobytes).</summary>
    private const int MaxCredentialJsonLength = 64 * 1024;

    /// <summary>
    /// Options for a step-up with a passkey: only the signed-in user's own passkeys are allowed, and
    /// Identity keeps the challenge (and the user) in its short-lived two-factor cookie.
    /// </summary>
    private static async Task<IResult> StepUpOptionsAsync(HttpContext http, SignInManager<PanelUser> signIn)
    {
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null || !PanelClaims.IsEnrolled(http.User))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, StepUpErrors.NotEnrolled, "No step-up", StepUpErrors.Unenrolled.Message);
        }
        if ((await signIn.UserManager.GetPasskeysAsync(user)).Count == 0)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "no-passkey", "No passkey",
                "You have no passkey on your account: add one under Your passkeys, or enter the code from your authenticator app.");
        }
        var options = await signIn.MakePasskeyRequestOptionsAsync(user);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(options, "application/json");
    }

    /// <summary>
    /// The browser's answer to <see cref="StepUpOptionsAsync"/>: Identity verifies it (challenge,
    /// origin, signature, user verification), <see cref="PasskeyStepUps"/> makes it a one-time proof
    /// of the signed-in user's, and the screen hands that proof to the operation it was asked for.
    /// </summary>
    private static async Task<IResult> StepUpAsync(HttpContext http, SignInManager<PanelUser> signIn, PasskeyStepUps stepUps,
        PasskeyAccounts passkeys, ILoggerFactory logs)
    {
        if (!http.Request.HasJsonContentType())
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "json-required", "JSON required",
                "Send the passkey answer as application/json.");
        }
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        string credentialJson;
        using (var reader = new StreamReader(http.Request.Body))
        {
            var buffer = new char[MaxCredentialJsonLength + 1];
            var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
            if (read > MaxCredentialJsonLength)
            {
                return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Too large", "The passkey answer is too large.");
            }
            credentialJson = new string(buffer, 0, read);
        }
        PasskeyAssertionResult<PanelUser> assertion;
        try
        {
            assertion = await signIn.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException)
        {
            // No ceremony under way here (the state cookie missing, expired or already used), or a malformed answer.
            assertion = PasskeyAssertionResult.Fail<PanelUser>(new PasskeyException("The passkey step-up expired or was not started here."));
        }
        var result = await stepUps.RecordAsync(userId, assertion, credentialJson, http.RequestAborted);
        if (!result.Succeeded)
        {
            // Identity's reason, for the operator; the screen shows the plain message.
            logs.CreateLogger("AccessTokenPanel.Passkeys").LogInformation("A passkey step-up was refused ({Code}): {Reason}",
                result.Error.Code, assertion.Succeeded ? result.Error.Code : assertion.Failure?.Message);
            return ApiProblems.Problem(result.Error.Kind == ErrorKind.TooManyAttempts ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest,
                result.Error.Code, "The passkey did not verify you", result.Error.Message);
        }
        await passkeys.RecordUseAsync(userId, assertion.Passkey!.CredentialId, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new PasskeyStepUpProof(result.Value!));
    }

    /// <summary>
    /// Options for creating a passkey of the signed-in user's, after the checks that need no code
    /// (allowed, under the limit) so the browser's dialog never opens for a passkey that cannot be added.
    /// The code is checked with the passkey, when the form is posted.
    /// </summary>
    private static async Task<IResult> CreationOptionsAsync(
        HttpContext http, SignInManager<PanelUser> signIn, PasskeyAccounts passkeys, PermissionResolver permissions)
    {
        var actor = await SessionActorAsync(http, permissions);
        if (await passkeys.CanAddAsync(actor) is { } refused)
        {
            return ApiProblems.Problem(refused.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden,
                refused.Code, "The passkey cannot be added", refused.Message);
        }
        var user = await signIn.UserManager.FindByIdAsync(actor.UserId!);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = user.Id,
            Name = user.Email ?? user.UserName ?? user.Id,
            DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName,
        });
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(options, "application/json");
    }

    /// <summary>Options for a passkey sign-in: any of this site's discoverable passkeys (the user picks one).</summary>
    private static async Task<IResult> RequestOptionsAsync(HttpContext http, SignInManager<PanelUser> signIn)
    {
        var options = await signIn.MakePasskeyRequestOptionsAsync(null);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(options, "application/json");
    }

    internal static async Task<Actor> SessionActorAsync(HttpContext http, PermissionResolver permissions, string? code = null)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        return Actor.Session(userId, await permissions.GetPermissionsAsync(userId), PanelClaims.IsEnrolled(http.User), code,
            via: $"from {ClientAddress.TextOf(http)}");
    }
}
