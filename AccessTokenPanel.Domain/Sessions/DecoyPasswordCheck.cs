using System.Security.Cryptography;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace AccessTokenPanel.Domain.Sessions;

/// <summary>
/// Makes a sign-in attempt for an unknown email cost what one for a known email with a wrong
/// password costs: the password is verified against a decoy hash made with the same hasher and
/// settings. Without it, the unknown email answered ~30 times faster, telling who has an account.
/// </summary>
public sealed class DecoyPasswordCheck(IPasswordHasher<PanelUser> hasher)
{
    private static readonly PanelUser Decoy = new() { Id = "decoy", UserName = "decoy" };
    // Made once per process by the configured hasher (its settings do not change at run time).
    private static string? s_hash;

    /// <summary>Verifies <paramref name="password"/> against the decoy (never succeeds; the result is the time spent).</summary>
    public void Spend(string? password)
    {
        var hash = s_hash ??= hasher.HashPassword(Decoy, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        hasher.VerifyHashedPassword(Decoy, hash, password ?? "");
    }
}
