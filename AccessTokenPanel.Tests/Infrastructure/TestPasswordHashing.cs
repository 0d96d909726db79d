using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AccessTokenPanel.Tests.Infrastructure;

/// <summary>
/// The password hasher's PBKDF2 rounds in the test hosts. Identity's default (100,000 rounds of
/// HMAC-SHA512) is right for the panel and costs 0.1-0.5 s of CPU per hash on the CI's two cores;
/// the suite creates and signs in well over a thousand users. Fewer rounds run the same code (the
/// count is part of each stored hash), so every password rule is still tested. The tests that
/// measure what a password check costs (Account/SignInTimingTests) keep the app's own setting.
/// </summary>
public static class TestPasswordHashing
{
    public const int Iterations = 1_000;

    public static void Use(IServiceCollection services, int iterations) =>
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = iterations);
}
