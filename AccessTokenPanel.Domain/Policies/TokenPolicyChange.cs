using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Policies;

/// <summary>
/// The whole policy of one API as it should be from now on (a replacement, not a patch): what the
/// Settings page's form and the Configuration API's PUT send.
/// </summary>
public sealed record TokenPolicyChange(
    ApiType ApiType,
    int? MaxLifetimeDays,
    IReadOnlyList<string>? CreatorRoles,
    bool ServiceAccountTokens,
    bool AddressesRequired,
    int? IdleRevocationDays,
    string? ApprovalRole,
    bool ApprovalForServiceAccounts);

/// <summary>The codes of token policy refusals (besides the token codes they share).</summary>
public static class TokenPolicyErrorCodes
{
    public const string MaxLifetimeOutOfRange = "max-lifetime-out-of-range";
    public const string IdleDaysOutOfRange = "idle-days-out-of-range";
}

public static class TokenPolicyFields
{
    public const string MaxLifetimeDays = nameof(TokenPolicyChange.MaxLifetimeDays);
    public const string CreatorRoles = nameof(TokenPolicyChange.CreatorRoles);
    public const string IdleRevocationDays = nameof(TokenPolicyChange.IdleRevocationDays);
    public const string ApprovalRole = nameof(TokenPolicyChange.ApprovalRole);
}

/// <summary>Why a live token is over its API's policy.</summary>
public enum OverPolicyReason
{
    /// <summary>The policy requires allowed client addresses and the token has none.</summary>
    AddressesRequired,
    /// <summary>It lives longer than the policy's maximum lifetime (<see cref="OverPolicyToken.MaxLifetimeDays"/>).</summary>
    LivesTooLong,
}

/// <summary>
/// A live token that the policy of its API would not allow today, and why: <see cref="Reason"/> in
/// English words (the APIs'), <see cref="Why"/> and <see cref="MaxLifetimeDays"/> for screens that
/// say it in another language.
/// </summary>
public sealed record OverPolicyToken(Guid Id, string OwnerId, string Name, ApiType ApiType, string Hint, DateTime CreatedAt, DateTime ExpiresAt,
    DateTime? ShortenedTo, OverPolicyReason Why, int MaxLifetimeDays)
{
    public string Reason => Why switch
    {
        OverPolicyReason.AddressesRequired => "The policy requires allowed client addresses, and this token has none.",
        _ => $"It lives longer than the policy's {MaxLifetimeDays} days.",
    };

    /// <summary>Bringing it into the policy revokes it (no addresses where they are required, or already past the maximum).</summary>
    public bool WillBeRevoked => ShortenedTo is null;
}

/// <summary>What bringing tokens into the policy did.</summary>
public sealed record PolicyEnforcement(int Shortened, int Revoked);
