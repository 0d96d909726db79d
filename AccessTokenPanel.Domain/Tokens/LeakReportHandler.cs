using AccessTokenPanel.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>One secret a scanner found: the string it matched, where, and in what kind of place.</summary>
public sealed record LeakedSecret(string Token, string? Url, string? Source);

/// <summary>The scanner's words for our answer about one secret.</summary>
public enum LeakLabel
{
    /// <summary>The string is (or was: revoked, expired) one of our tokens.</summary>
    TruePositive,

    /// <summary>Not one of ours: not our format, a wrong checksum, or no such token.</summary>
    FalsePositive,
}

/// <summary>
/// Acts on a verified leak report (the caller has checked who sent it): every reported secret that
/// is one of our tokens is revoked at once, with the tokens issued with it, and its owner told (see
/// <see cref="TokenRevoker.RevokeLeakedAsync"/>). A string that is not even in our format, or fails
/// the checksum, is answered without a database look-up.
/// </summary>
public sealed class LeakReportHandler(PanelDbContext db, TokenRevoker revoker)
{
    /// <summary>Handles the secrets in order (one transaction each) and returns one label per secret, in the same order.</summary>
    public async Task<IReadOnlyList<LeakLabel>> HandleAsync(IReadOnlyList<LeakedSecret> secrets, CancellationToken cancellationToken = default)
    {
        var labels = new List<LeakLabel>(secrets.Count);
        foreach (var secret in secrets)
        {
            labels.Add(await HandleOneAsync(secret, cancellationToken));
        }
        return labels;
    }

    private async Task<LeakLabel> HandleOneAsync(LeakedSecret secret, CancellationToken cancellationToken)
    {
        if (TokenSecret.Check(secret.Token, out _) != TokenFormatCheck.WellFormed)
        {
            return LeakLabel.FalsePositive;
        }
        var hash = TokenSecret.Hash(secret.Token);
        // Any status counts: a revoked or expired token was still ours, and the scanner should learn that its match was right.
        var tokenId = await db.AccessTokens.AsNoTracking().Where(t => t.SecretHash == hash).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken);
        if (tokenId is null)
        {
            return LeakLabel.FalsePositive;
        }
        var outcome = await revoker.RevokeLeakedAsync(tokenId.Value, LeakSighting.Create(secret.Url, secret.Source), cancellationToken);
        return outcome == RevokeOutcome.NotFound ? LeakLabel.FalsePositive : LeakLabel.TruePositive;
    }
}
