using System.Collections.Concurrent;
using System.Security.Cryptography;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AccessTokenPanel.Domain.Sessions;

/// <summary>
/// Makes a sign-in attempt for an unknown email cost what one for a known email with a wrong
/// password costs: the password is verified against a decoy hash made with the same hasher and
/// settings. Without it, the unknown email answered ~30 times faster, telling who has an account.
/// </summary>
public sealed class DecoyPasswordCheck(IPasswordHasher<PanelUser> hasher, IOptions<PasswordHasherOptions> options)
{
    private static readonly PanelUser Decoy = new() { Id = "decoy", UserName = "decoy" };
    // Made once per process and hasher setting (the settings do not change at run time; several
    // hosts in one process, as in the tests, may have different ones: the decoy must cost what
    // their own users' hashes cost).
    private static readonly ConcurrentDictionary<(PasswordHasherCompatibilityMode, int), string> s_hashes = new();

    /// <summary>Verifies <paramref name="password"/> against the decoy (never succeeds; the result is the time spent).</summary>
    public void Spend(string? password)
    {
        var settings = options.Value;
        var hash = s_hashes.GetOrAdd((settings.CompatibilityMode, settings.IterationCount),
            _ => hasher.HashPassword(Decoy, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
        hasher.VerifyHashedPassword(Decoy, hash, password ?? "");
    }
}
