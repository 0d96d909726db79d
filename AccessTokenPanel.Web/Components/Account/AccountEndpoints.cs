using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AccessTokenPanel.Web.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>POST /account/logout: a form post (with antiforgery), never a GET a link or image could trigger.</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(AccountPaths.Logout, async (SignInManager<PanelUser> signIn, [FromForm] string? returnUrl) =>
        {
            // The form field makes this a form-bound endpoint, which is what turns antiforgery validation on.
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(AccountPaths.Login);
        });
}
