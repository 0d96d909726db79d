using AccessTokenPanel.Domain.Audit;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Domain.Sessions;

/// <summary>
/// Audit entries for sign-in, sign-out, failed sign-in and lockout: who (the user, or the email
/// tried when no such user exists) and from which address. Each entry is saved at once, since
/// a failed attempt has no other change to travel with.
/// </summary>
public sealed class SignInAudit(IServiceScopeFactory scopes)
{
    /// <summary>A completed sign-in; <paramref name="method"/> (<see cref="SignInMethods"/>) says how, in the entry and the sign-in measurements.</summary>
    public Task SignedInAsync(string userId, string? email, string? address, string? method = null, CancellationToken cancellationToken = default)
    {
        PanelMetrics.SignIn(method ?? SignInMethods.PasswordAndCode, "success");
        return SaveAsync(userId, AuditActions.SignedIn, userId,
            method is null ? $"{email} signed in from {Address(address)}." : $"{email} signed in with {SignInMethods.Describe(method)} from {Address(address)}.",
            cancellationToken);
    }

    public Task SignedOutAsync(string userId, string? email, string? address, CancellationToken cancellationToken = default) =>
        SaveAsync(userId, AuditActions.SignedOut, userId, $"{email} signed out from {Address(address)}.", cancellationToken);

    /// <summary>A wrong password, code or recovery code (<paramref name="step"/> says which); <paramref name="userId"/> null when no user has that email.</summary>
    public Task FailedAsync(string? userId, string? attempted, string step, string? address, CancellationToken cancellationToken = default)
    {
        PanelMetrics.SignIn(SignInFailureSteps.OfStep(step), "failure");
        return SaveAsync(userId, AuditActions.SignInFailed, userId,
            $"Failed sign-in ({step}) for {Truncate(attempted)} from {Address(address)}.", cancellationToken);
    }

    public Task LockedOutAsync(string userId, string? email, string? address, CancellationToken cancellationToken = default) =>
        SaveAsync(userId, AuditActions.LockedOut, userId, $"{email} locked out after too many failed attempts, the last from {Address(address)}.", cancellationToken);

    /// <summary>"Sign out everywhere": by the user themself or by an administrator (<paramref name="actorId"/>).</summary>
    public Task SessionsEndedAsync(string actorId, string userId, string? email, int count, string? address, CancellationToken cancellationToken = default) =>
        SaveAsync(actorId, AuditActions.SessionsEnded, userId,
            $"Ended {count} session(s) of {email} (sign out everywhere) from {Address(address)}.", cancellationToken);

    /// <summary>The OpenID Provider's logout (<paramref name="channel"/>: back-channel or front-channel) ended sessions of the user.</summary>
    public Task EndedByProviderAsync(string userId, int count, string channel, CancellationToken cancellationToken = default) =>
        SaveAsync(null, AuditActions.SessionsEnded, userId,
            $"Ended {count} session(s) on the OpenID Provider's {channel} logout.", cancellationToken);

    private async Task SaveAsync(string? actorId, string action, string? subjectId, string details, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditLog>().Record(actorId, action, "user", subjectId, details);
        await scope.ServiceProvider.GetRequiredService<PanelDbContext>().SaveChangesAsync(cancellationToken);
    }

    private static string Address(string? address) => string.IsNullOrEmpty(address) ? "an unknown address" : address;

    // Whatever was typed as the email is recorded, bounded (the column holds 2000 characters).
    private static string Truncate(string? value) => value is null ? "(none)" : value.Length > 256 ? value[..256] + "…" : value;
}
