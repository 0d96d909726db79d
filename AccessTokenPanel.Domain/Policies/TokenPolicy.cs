using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Tokens;

namespace AccessTokenPanel.Domain.Policies;

/// <summary>
/// What an organization allows for new tokens of one API. A missing row is the default: the
/// settings' maximum lifetime, anyone may create, no address list required, no idle revocation, no approval.
/// </summary>
public class TokenPolicy
{
    public const int IdleDaysMin = 30;
    public const int IdleDaysMax = 365;
    public const int IdleNoticeDays = 7;
    public const int CreatorRolesMaxLength = 400;

    public ApiType ApiType { get; set; }

    /// <summary>The longest lifetime of a new token of this API, in days; null: the settings' maximum.</summary>
    public int? MaxLifetimeDays { get; set; }

    /// <summary>
    /// The panel roles whose holders may create tokens of this API for themselves, comma-separated;
    /// null: every person; empty: no person (service accounts only, when <see cref="ServiceAccountTokens"/>).
    /// </summary>
    public string? CreatorRoles { get; set; }

    /// <summary>Whether a service account's owners may create tokens of this API for it.</summary>
    public bool ServiceAccountTokens { get; set; } = true;

    /// <summary>New tokens of this API must name the client addresses they may be used from.</summary>
    public bool AddressesRequired { get; set; }

    /// <summary>Tokens unused for this many days are revoked (after a notice a week before); null: never.</summary>
    public int? IdleRevocationDays { get; set; }

    /// <summary>
    /// Tokens acting with every permission of this role (or more) wait for someone else's approval
    /// before a secret exists; null: none do.
    /// </summary>
    public string? ApprovalRole { get; set; }

    /// <summary>Every service account token of this API waits for approval.</summary>
    public bool ApprovalForServiceAccounts { get; set; }

    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string>? CreatorRoleList =>
        CreatorRoles is null ? null : CreatorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a person holding <paramref name="roleNames"/> may create tokens of this API for themselves.</summary>
    public bool PersonMayCreate(IEnumerable<string> roleNames) =>
        CreatorRoleList is not { } allowed || roleNames.Any(r => allowed.Contains(r, StringComparer.Ordinal));

    /// <summary>Whether a token acting with <paramref name="permissions"/> must be approved first.</summary>
    public bool NeedsApproval(IReadOnlySet<string> permissions, bool serviceAccount) =>
        (serviceAccount && ApprovalForServiceAccounts)
        || (PanelRoles.Find(ApprovalRole) is { } threshold && threshold.Permissions.IsSubsetOf(permissions));

    public static TokenPolicy DefaultFor(ApiType api) => new() { ApiType = api };
}
