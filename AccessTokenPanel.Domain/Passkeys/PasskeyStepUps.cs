using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AccessTokenPanel.Domain.Authorization;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Passkeys;

/// <summary>
/// Passkeys as step-up (issuing, rotating, widening a token's addresses): the host verifies the
/// assertion with Identity's <c>SignInManager</c> (challenge, origin, signature, user verification)
/// and hands the result here, which turns it into a one-time proof for the signed-in user; the
/// operation then spends the proof through <see cref="StepUpVerifier"/>. One assertion makes at most
/// one proof (its challenge is unique in the table) and one proof serves one operation (spent with a
/// conditional update), whichever instance is asked.
/// </summary>
public sealed class PasskeyStepUps(PanelDbContext db, UserManager<PanelUser> users, TimeProvider time)
{
    /// <summary>How long a verified passkey may wait for the operation it was made for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Records a verified assertion of <paramref name="userId"/>'s own passkey as a proof and returns
    /// its handle (random, 256 bits; only its hash is stored). <paramref name="credentialJson"/> is the
    /// browser's answer Identity verified, read for the challenge it signed. The host records the
    /// passkey's last use (<see cref="PasskeyAccounts.RecordUseAsync"/>).
    /// </summary>
    public async Task<Result<string>> RecordAsync(string userId, PasskeyAssertionResult<PanelUser> assertion, string credentialJson,
        CancellationToken cancellationToken = default)
    {
        if (!assertion.Succeeded || assertion.User is null || assertion.Passkey is null)
        {
            return StepUpErrors.PasskeyFailed;
        }
        if (assertion.User.Id != userId)
        {
            // Someone else's passkey (the options named only the user's own; a crafted answer).
            return StepUpErrors.PasskeyFailed;
        }
        if (!assertion.Passkey.IsUserVerified)
        {
            return StepUpErrors.PasskeyNotUserVerified;
        }
        if (ChallengeOf(credentialJson) is not { } challenge)
        {
            return StepUpErrors.PasskeyFailed;
        }
        // The user as this scope's store tracks it (Identity's handler found it through the same store).
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            return StepUpErrors.AccountLocked;
        }
        // The new signature counter (a cloned authenticator shows up as a counter going back).
        if (!(await users.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            return StepUpErrors.PasskeyFailed;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var handle = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.PasskeyStepUps.Add(new PasskeyStepUp { Id = Hash(handle), UserId = userId, ChallengeHash = Hash(challenge), CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same assertion was posted before: it already made its one proof.
            db.ChangeTracker.Clear();
            return StepUpErrors.PasskeyReplayed;
        }
        // Spent and expired proofs are of no use to anyone.
        var cutoff = now - Lifetime - Lifetime;
        await db.PasskeyStepUps.Where(p => p.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return Result<string>.Ok(handle);
    }

    /// <summary>
    /// Spends the proof <paramref name="handle"/> of <paramref name="userId"/>: true for exactly one
    /// caller, and only while it is younger than <see cref="Lifetime"/>.
    /// </summary>
    public async Task<bool> SpendAsync(string userId, string handle, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(handle) || handle.Length > 100)
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var notBefore = now - Lifetime;
        var id = Hash(handle);
        return await db.PasskeyStepUps
            .Where(p => p.Id == id && p.UserId == userId && p.UsedAt == null && p.CreatedAt >= notBefore && p.CreatedAt <= now)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.UsedAt, now), cancellationToken) == 1;
    }

    /// <summary>The challenge in the answer's client data (base64url, as the browser signed it), or null.</summary>
    private static string? ChallengeOf(string credentialJson)
    {
        try
        {
            using var credential = JsonDocument.Parse(credentialJson);
            var clientData = credential.RootElement.GetProperty("response").GetProperty("clientDataJSON").GetString();
            if (clientData is null)
            {
                return null;
            }
            using var data = JsonDocument.Parse(Base64Url.DecodeFromChars(clientData));
            return data.RootElement.GetProperty("challenge").GetString() is { Length: > 0 } challenge ? challenge : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
