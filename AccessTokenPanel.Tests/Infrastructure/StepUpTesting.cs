using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Users;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>The step-up verdicts the two-factor tests assert, read from <see cref="StepUpVerifier"/>'s error codes.</summary>
public enum StepUpResult
{
    Verified,
    InvalidCode,
    ReplayedCode,
    NotEnrolled,
    LockedOut,
    TooManyAttempts,
}

public static class StepUpTesting
{
    /// <summary>The user's own step-up on the panel (a session actor), as the Generate dialog makes it.</summary>
    public static async Task<StepUpResult> VerifyStepUpAsync(this IServiceProvider services, PanelUser user, string? code)
    {
        var actor = Actor.Session(user.Id, Actor.NoPermissions, enrolled: true, stepUpCode: code);
        var error = await services.GetRequiredService<StepUpVerifier>().VerifyAsync(actor);
        return error?.Code switch
        {
            null => StepUpResult.Verified,
            StepUpErrors.CodeReplayed => StepUpResult.ReplayedCode,
            StepUpErrors.NotEnrolled => StepUpResult.NotEnrolled,
            StepUpErrors.LockedOut => StepUpResult.LockedOut,
            StepUpErrors.TooManyAttempts => StepUpResult.TooManyAttempts,
            _ => StepUpResult.InvalidCode,
        };
    }
}
