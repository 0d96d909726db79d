using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// A bUnit test of MudBlazor components: MudBlazor's services, loose JS interop (MudBlazor calls
/// its own scripts, which bUnit does not run), and the providers a page's layout would give
/// (popovers for select options and menus, dialogs, snackbars). Render <see cref="RenderProviders"/>
/// first, then the component; dialogs and options appear inside the providers' markup.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        Services.AddMudServices();
        // The screens' texts come from their resources (IStringLocalizer<T>), as in the app.
        Services.AddLogging().AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>The MudBlazor providers of MainLayout; dialogs, popovers and snackbars render here.</summary>
    protected IRenderedComponent<IComponent> RenderProviders() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
    });

    /// <summary>Signs the rendered components in as a panel user with the TOTP-enrolled claim.</summary>
    protected BunitAuthorizationContext SignIn(string userId, string email)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, email),
            new System.Security.Claims.Claim(Web.Components.Account.PanelClaims.TotpEnrolled, Web.Components.Account.PanelClaims.Enrolled));
        return auth;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only implement IAsyncDisposable; xunit 2 would call the sync Dispose.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
